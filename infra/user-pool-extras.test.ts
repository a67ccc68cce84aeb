// A user pool with triggers, custom attributes and groups (e2e/fixtures/cognito-triggers/declaration.ts)
// deployed by the stack: each trigger is the declared function's alias in the pool's LambdaConfig with
// Cognito allowed to invoke it, custom attributes are in the schema, groups are the pool's; the
// emulator reads the template back to the same declaration; a trigger that reads the pool's ids
// (a circular dependency) is refused. Template only (no bundling).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { apiWithTriggers, poolWithTriggers, trigger } from '../e2e/fixtures/cognito-triggers/declaration.ts'
import { deployedUserPool } from './deployed-user-pool.ts'
import { synthChatStack, type Synthesized } from './synth-for-test.ts'
import { functionIds, resourcesOf } from './template-queries.ts'

describe('a pool with triggers, custom attributes and groups', () => {
  let synth: Synthesized
  before(() => {
    synth = synthChatStack({ bundling: false, api: apiWithTriggers, userPool: poolWithTriggers })
  })
  after(() => synth?.dispose())

  test('each trigger is its function alias, and Cognito (this pool only) may invoke it', () => {
    const [[poolId, pool]] = resourcesOf(synth.json, 'AWS::Cognito::UserPool')
    const ids = functionIds(synth.json, ['preSignUp', 'postConfirmation', 'preTokenGeneration'])
    const aliases = new Map(resourcesOf(synth.json, 'AWS::Lambda::Alias').map(([id, alias]) => [alias.FunctionName.Ref, id]))
    const config = pool.LambdaConfig
    for (const [key, name] of [['PreSignUp', 'preSignUp'], ['PostConfirmation', 'postConfirmation'], ['PreTokenGeneration', 'preTokenGeneration']]) {
      const alias = aliases.get(ids.get(name))
      assert.ok(alias, `${name} has an alias`)
      assert.deepEqual(config[key], { Ref: alias }, `${key} invokes ${name}'s alias`)
      const permissions = resourcesOf(synth.json, 'AWS::Lambda::Permission').filter(([, p]) => p.Principal === "cognito-idp.amazonaws.com" && p.FunctionName?.Ref === alias)
      assert.equal(permissions.length, 1, `Cognito may invoke ${name}`)
      assert.deepEqual(permissions[0][1].SourceArn, { 'Fn::GetAtt': [poolId, 'Arn'] })
    }
  })

  test('custom attributes and groups are deployed, and read back as declared', () => {
    const groups = resourcesOf(synth.json, 'AWS::Cognito::UserPoolGroup').map(([, g]) => g)
    assert.deepEqual(groups.map((g) => [g.GroupName, g.Description, g.Precedence]), [['members', 'Everyone who chats', 5]])
    const deployed = deployedUserPool(synth.json)
    assert.deepEqual(deployed.customAttributes, poolWithTriggers.customAttributes)
    assert.deepEqual(deployed.groups, poolWithTriggers.groups)
  })

  test('has no unacknowledged cdk-nag finding', () => {
    assert.deepEqual(synth.nagFindings, [])
  })
})

test('a trigger that reads the pool from its environment is refused (the pool names the function: a circular dependency)', () => {
  const reading: ApiDeclaration = { ...apiWithTriggers, functions: { ...apiWithTriggers.functions, preSignUp: { ...trigger('preSignUp'), environment: { POOL: { from: 'userPoolId' } } } } }
  assert.throws(() => synthChatStack({ bundling: false, api: reading, userPool: poolWithTriggers }), /function preSignUp is the user pool's preSignUp trigger, so it cannot read POOL/)
})
