import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { cdkJsonContext, projectRoot } from './synth-for-test.ts'
import { contextPrefix, defaultStackConfig, isProductionStage, readStackConfig, stackNameOf, StackConfigError } from './stack-config.ts'

const from = (context: Record<string, unknown>) => readStackConfig((key) => context[key])

function rejects(context: Record<string, unknown>, message: RegExp): void {
  assert.throws(() => from(context), (error: unknown) => {
    assert.ok(error instanceof StackConfigError)
    assert.equal(error.code, 'STACK_CONFIG')
    assert.match(error.message, message)
    return true
  })
}

test('cdk.json spells out every setting with exactly the defaults', () => {
  const context = cdkJsonContext()
  const settings = Object.fromEntries(Object.entries(context).filter(([key]) => key.startsWith(contextPrefix)).map(([key, value]) => [key.slice(contextPrefix.length), value]))
  assert.deepEqual(settings, defaultStackConfig)
  assert.deepEqual(from(context), defaultStackConfig)
})

test('cdk.json turns off CLI notices and telemetry and runs the app through tsx', () => {
  const cdkJson = JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8'))
  assert.equal(cdkJson.app, 'node --import tsx infra/app.ts')
  assert.equal(cdkJson.notices, false)
  assert.equal(cdkJson.context['cli-telemetry'], false)
})

test('absent settings take their defaults', () => {
  assert.deepEqual(from({}), defaultStackConfig)
})

test('command-line values arrive as strings and are read as JSON', () => {
  const config = from({
    'chat:stage': 'dev',
    'chat:productionStages': '["prod","live"]',
    'chat:tableCapacity': '{"read":{"min":2,"max":40},"write":{"min":3,"max":30}}',
    'chat:targetUtilizationPercent': '50',
    'chat:reservedConcurrency': 'true',
    'chat:provisionedConcurrency': '{"sendmessage":3}',
    'chat:throttle': '{"rateLimit":10.5,"burstLimit":20}',
    'chat:logRetentionDays': '90',
    'chat:apiGatewayCloudWatchRole': 'false',
    'chat:mfa': 'REQUIRED',
  })
  assert.deepEqual(config, {
    ...defaultStackConfig,
    stage: 'dev',
    productionStages: ['prod', 'live'],
    tableCapacity: { read: { min: 2, max: 40 }, write: { min: 3, max: 30 } },
    targetUtilizationPercent: 50,
    reservedConcurrency: true,
    provisionedConcurrency: { sendmessage: 3 },
    throttle: { rateLimit: 10.5, burstLimit: 20 },
    logRetentionDays: 90,
    apiGatewayCloudWatchRole: false,
    mfa: 'REQUIRED',
  })
  // The declared MFA mode (src/user-pool.ts) stands unless a deployment names another.
  assert.equal(from({ 'chat:mfa': 'null' }).mfa, null)
  assert.equal(from({ 'chat:mfa': null }).mfa, null)
})

test('a stage is production only when listed in productionStages', () => {
  assert.equal(isProductionStage(from({})), true)
  assert.equal(isProductionStage(from({ 'chat:stage': 'dev' })), false)
  assert.equal(isProductionStage(from({ 'chat:stage': 'live', 'chat:productionStages': ['live'] })), true)
})

test('invalid settings are refused with the key, what it must be and what it got', () => {
  rejects({ 'chat:stage': 'my stage' }, /^Context chat:stage must be letters, digits or - \(at most 128\); got "my stage"$/)
  rejects({ 'chat:stage': 'my_stage' }, /^Context chat:stage must be letters, digits or - \(at most 128\); got "my_stage"$/)
  rejects({ 'chat:billingMode': 'FREE' }, /^Context chat:billingMode must be PROVISIONED or PAY_PER_REQUEST; got "FREE"$/)
  rejects({ 'chat:tableCapacity': { read: { min: 5, max: 2 }, write: { min: 1, max: 1 } } }, /^Context chat:tableCapacity\.read\.max must be at least min \(5\); got 2$/)
  rejects({ 'chat:indexCapacity': { read: { min: 0, max: 2 }, write: { min: 1, max: 1 } } }, /chat:indexCapacity\.read\.min must be an integer ≥ 1/)
  rejects({ 'chat:targetUtilizationPercent': 95 }, /chat:targetUtilizationPercent must be an integer from 20 to 90; got 95/)
  rejects({ 'chat:provisionedConcurrency': -1 }, /chat:provisionedConcurrency must be an integer ≥ 0; got -1/)
  rejects({ 'chat:reservedConcurrency': '{"sendmessage":"lots"}' }, /chat:reservedConcurrency\.sendmessage must be an integer ≥ 1; got "lots"/)
  rejects({ 'chat:reservedConcurrency': '{"sendmessage":0}' }, /chat:reservedConcurrency\.sendmessage must be an integer ≥ 1; got 0/)
  rejects({ 'chat:logRetentionDays': 10 }, /chat:logRetentionDays must be one of 1, 3, 5, 7, 14, 30/)
  rejects({ 'chat:mfa': 'SOMETIMES' }, /chat:mfa must be OFF or OPTIONAL or REQUIRED/)
  rejects({ 'chat:throttle': '{"rateLimit":0,"burstLimit":1}' }, /chat:throttle\.rateLimit must be a positive number; got 0/)
  rejects({ 'chat:apiGatewayCloudWatchRole': 'yes' }, /chat:apiGatewayCloudWatchRole must be a JSON value; got "yes"/)
  rejects({ 'chat:productionStages': 'prod' }, /chat:productionStages must be a JSON value; got "prod"/)
})

test('a stage that makes a stack or user-pool name CloudFormation or Cognito refuses is refused with the name', () => {
  assert.equal(stackNameOf('dynamowave-chat', 'dev-2'), 'dynamowave-chat-dev-2')
  assert.throws(() => stackNameOf('dynamowave-chat', 'x'.repeat(113)), /makes the stack \(and user pool\) name "dynamowave-chat-x{113}", which CloudFormation refuses/)
  assert.throws(() => stackNameOf('9lives', 'prod'), /"9lives-prod"/)
})
