// The cloud-assembly mode on hand-written templates: what each supported construct becomes, and how
// everything it cannot run is refused at start with the resource, the property and why.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { loadCloudAssembly } from '../emulator/cloud-assembly/load-cloud-assembly.ts'
import { startEmulator } from '../emulator/start-emulator.ts'
import { lambdaUri, minimalResources, writeAssembly } from './fixtures/cloud-assembly/minimal-assembly.ts'
import { TestClient } from './ws-client.ts'

type After = { after: (fn: () => unknown) => void }

function assembly(t: After, change: (resources: ReturnType<typeof minimalResources>) => void = () => {}) {
  const resources = minimalResources()
  change(resources)
  const written = writeAssembly(resources)
  t.after(written.dispose)
  return written.dir
}

test('inline code runs: the two-way route answers with the resolved environment, stage variables and the local callback URL', async (t) => {
  const dir = assembly(t)
  const emu = await startEmulator({ cloudAssembly: { dir }, functionOutput: 'ignore', bundleCache: false, notice: () => {} })
  t.after(() => emu.close())
  assert.equal(emu.stage, 'test')
  const client = await TestClient.connect(emu.url)
  t.after(() => client.close())
  client.send({ action: 'echo', n: 1 })
  const answer = await client.next((f) => 'body' in f)
  assert.deepEqual(answer, {
    body: { action: 'echo', n: 1 },
    env: { TABLE: 'items', REGION_OF: 'us', CALLBACK: emu.callbackUrl },
    stage: { colour: 'blue' },
  })
})

test('the template becomes declarations: throttling, tables, not-emulated resources (another API among them)', (t) => {
  const loaded = loadCloudAssembly({
    dir: assembly(t, (r) => {
      r.HttpApi = { Type: 'AWS::ApiGatewayV2::Api', Properties: { Name: 'rest', ProtocolType: 'HTTP' } }
    }),
  })
  t.after(() => loaded.dispose())
  assert.deepEqual(loaded.api.throttle, { rateLimit: 50, burstLimit: 20 })
  assert.deepEqual(loaded.tables, { items: { partitionKey: { name: 'id', type: 'S' }, globalIndexes: [] } })
  assert.deepEqual(loaded.provisionedCapacity, {})
  assert.deepEqual(loaded.notEmulated, { 'AWS::S3::Bucket': ['Bucket'], 'AWS::ApiGatewayV2::Api': ['HttpApi'] })
  assert.deepEqual(loaded.api.routes, [{ routeKey: 'echo', function: 'EchoFn', twoWay: true }])
  assert.equal(loaded.api.functions.EchoFn.handler, 'echo')
  assert.deepEqual([loaded.api.functions.EchoFn.memoryMb, loaded.api.functions.EchoFn.timeoutSeconds], [128, 3], "Lambda's defaults")
})

test('a function whose environment names a resource the emulator does not run is started, with a warning', (t) => {
  const loaded = loadCloudAssembly({
    dir: assembly(t, (r) => {
      ;(r.EchoFn.Properties!.Environment as { Variables: Record<string, unknown> }).Variables.BUCKET = { Ref: 'Bucket' }
    }),
  })
  t.after(() => loaded.dispose())
  assert.deepEqual(loaded.warnings, ["function EchoFn's environment names AWS::S3::Bucket Bucket, which the emulator does not emulate"])
  assert.deepEqual(loaded.api.functions.EchoFn.environment.BUCKET, { from: 'value', value: 'Bucket' })
})

const refusals: [string, (r: ReturnType<typeof minimalResources>) => void, string, RegExp][] = [
  ['a Python function', (r) => void (r.EchoFn.Properties!.Runtime = 'python3.12'), 'CLOUD_ASSEMBLY_UNSUPPORTED', /^EchoFn\.Properties\.Runtime: "python3\.12" is not emulated \(Node\.js runtimes only\)/],
  ['an HTTP integration', (r) => void (r.EchoIntegration.Properties!.IntegrationType = 'HTTP_PROXY'), 'CLOUD_ASSEMBLY_UNSUPPORTED', /^EchoIntegration\.Properties\.IntegrationType: HTTP_PROXY is not emulated/],
  ['another stack’s export', (r) => void ((r.EchoFn.Properties!.Environment as any).Variables.X = { 'Fn::ImportValue': 'Shared:Name' }), 'CLOUD_ASSEMBLY_UNRESOLVED', /^EchoFn\.Properties\.Environment\.Variables\.X\.Fn::ImportValue: Fn::ImportValue is not supported offline/],
  ['a reference to nothing', (r) => void ((r.EchoFn.Properties!.Environment as any).Variables.X = { Ref: 'Nowhere' }), 'CLOUD_ASSEMBLY_UNRESOLVED', /the template has no resource Nowhere/],
  ['a handler file that is not there', (r) => void (r.EchoFn.Properties!.Handler = 'main.echo'), 'CLOUD_ASSEMBLY_UNRESOLVED', /^EchoFn\.Properties\.Handler: "main\.echo": no main\.js, \.mjs or \.cjs/],
  ['an integration invoking a function of another stack', (r) => void (r.EchoIntegration.Properties!.IntegrationUri = lambdaUri('arn:aws:lambda:us-east-1:111111111111:function:elsewhere')), 'CLOUD_ASSEMBLY_UNRESOLVED', /invokes arn:aws:lambda:us-east-1:111111111111:function:elsewhere, which is no function, version or alias of this template/],
  ['an IAM-authorized $connect', (r) => void (r.EchoRoute.Properties = { ...r.EchoRoute.Properties, RouteKey: '$connect', AuthorizationType: 'AWS_IAM' }), 'CLOUD_ASSEMBLY_UNSUPPORTED', /AuthorizationType: AWS_IAM is not emulated/],
  ['a local secondary index', (r) => void (r.Items.Properties!.LocalSecondaryIndexes = [{ IndexName: 'l' }]), 'CLOUD_ASSEMBLY_UNSUPPORTED', /^Items\.Properties\.LocalSecondaryIndexes: local secondary indexes are not emulated/],
  ['a user pool signing in by email as the username', (r) => {
    r.Pool = { Type: 'AWS::Cognito::UserPool', Properties: { UsernameAttributes: ['email'] } }
    r.Client = { Type: 'AWS::Cognito::UserPoolClient', Properties: { UserPoolId: { Ref: 'Pool' } } }
  }, 'CLOUD_ASSEMBLY_UNSUPPORTED', /^Pool\.Properties\.UsernameAttributes: an email or phone number as the username is not emulated/],
  ['no stage', (r) => void delete (r as Record<string, unknown>).Stage, 'CLOUD_ASSEMBLY_UNSUPPORTED', /^Api: no stage deploys the API/],
]

for (const [what, change, code, message] of refusals) {
  test(`refused at start, naming resource, property and why: ${what}`, async (t) => {
    const dir = assembly(t, change)
    await assert.rejects(startEmulator({ cloudAssembly: { dir }, notice: () => {} }), (error: Error & { code?: string }) => {
      assert.equal(error.code, code)
      assert.match(error.message, message)
      return true
    })
  })
}

test('a folder that is no cloud assembly, and a stack it does not have, are refused with what there is', async (t) => {
  const dir = assembly(t)
  await assert.rejects(startEmulator({ cloudAssembly: { dir: `${dir}/nowhere` } }), /is not a cloud assembly \(no manifest\.json; run `cdk synth` first\)/)
  await assert.rejects(startEmulator({ cloudAssembly: { dir, stack: 'Other' } }), /has no stack Other \(stacks: Minimal\)/)
})

test('inline code gets the AWS SDK from the runtime, as on Lambda, and nothing else: a package it lacks fails the start', async (t) => {
  const withSdk = assembly(t, (r) => {
    ;(r.EchoFn.Properties!.Code as { ZipFile: string }).ZipFile =
      "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb'); exports.echo = async () => ({ statusCode: 200, body: JSON.stringify({ body: typeof DynamoDBClient }) })"
  })
  const emu = await startEmulator({ cloudAssembly: { dir: withSdk }, functionOutput: 'ignore', bundleCache: false, notice: () => {} })
  t.after(() => emu.close())
  const client = await TestClient.connect(emu.url)
  t.after(() => client.close())
  client.send({ action: 'echo' })
  assert.deepEqual(await client.next((f) => 'body' in f), { body: 'function' })

  const lacking = assembly(t, (r) => {
    ;(r.EchoFn.Properties!.Code as { ZipFile: string }).ZipFile = "const pad = require('left-pad-not-in-any-runtime'); exports.echo = async () => ({ statusCode: 200 })"
  })
  await assert.rejects(startEmulator({ cloudAssembly: { dir: lacking }, bundleCache: false, notice: () => {} }), /Could not resolve "left-pad-not-in-any-runtime"/)
})

test('an alias with provisioned concurrency, invoked by the integration, keeps that many sandboxes initialised from start', async (t) => {
  const dir = assembly(t, (r) => {
    r.EchoVersion = { Type: 'AWS::Lambda::Version', Properties: { FunctionName: { Ref: 'EchoFn' } } }
    r.EchoAlias = {
      Type: 'AWS::Lambda::Alias',
      Properties: { FunctionName: { Ref: 'EchoFn' }, FunctionVersion: { 'Fn::GetAtt': ['EchoVersion', 'Version'] }, Name: 'live', ProvisionedConcurrencyConfig: { ProvisionedConcurrentExecutions: 2 } },
    }
    r.EchoFn.Properties!.ReservedConcurrentExecutions = 5
    r.EchoIntegration.Properties!.IntegrationUri = lambdaUri({ Ref: 'EchoAlias' })
  })
  const emu = await startEmulator({ cloudAssembly: { dir }, functionOutput: 'ignore', bundleCache: false, notice: () => {} })
  t.after(() => emu.close())
  assert.deepEqual(emu.sandboxes(), { EchoFn: 2 })
  const loaded = loadCloudAssembly({ dir })
  t.after(() => loaded.dispose())
  assert.deepEqual(loaded.provisionedConcurrency, { EchoFn: 2 })
  assert.equal(loaded.api.functions.EchoFn.reservedConcurrency, 5)
  assert.equal(loaded.notEmulated['AWS::Lambda::Version'], undefined, 'the version the alias runs is used')
})
