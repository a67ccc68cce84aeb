// The chat's own stack through the emulator's cloud-assembly mode: synthesized as `npm run synth`
// does it (cdk.json's context, esbuild bundles), then run from the assembly alone. The functions that
// answer are the bundles CDK staged (each entry is an asset folder's index.mjs, the template's
// Code), and the chat behaves end to end as it does from its declarations.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { relative } from 'node:path'
import { loadCloudAssembly } from '../emulator/cloud-assembly/load-cloud-assembly.ts'
import { startEmulator, type Emulator } from '../emulator/start-emulator.ts'
import { api } from '../src/api.ts'
import { userPool } from '../src/user-pool.ts'
import { synthChatStack, type Synthesized } from '../infra/synth-for-test.ts'
import { all, barrier, call, ok, openAs, seen, whoIs } from './product-client.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'
import { runPublicSuite } from './public-suite-run.ts'

let synth: Synthesized
let emu: Emulator
before(async () => {
  synth = synthChatStack()
  emu = await startEmulator({ cloudAssembly: { dir: synth.assemblyDir }, functionOutput: 'ignore', bundleCache: false, notice: () => {} })
})
after(async () => {
  await emu?.close()
  synth?.dispose()
})

const open = (t: { after: (fn: () => unknown) => void }, username: string) => openAs(t, emu, username)

test('every route runs the bundle CDK staged for it, with the declared settings and the pool as declared', () => {
  const loaded = loadCloudAssembly({ dir: synth.assemblyDir })
  try {
    assert.deepEqual(loaded.api.routes.map((r) => r.routeKey).sort(), api.routes.map((r) => r.routeKey).sort())
    assert.equal(loaded.stage, synth.config.stage)
    for (const route of api.routes) {
      const deployed = loaded.api.functions[loaded.api.routes.find((r) => r.routeKey === route.routeKey)!.function]
      const declared = api.functions[route.function]
      assert.match(relative(synth.assemblyDir, deployed.entry), /^asset\.[0-9a-f]{64}\/index\.mjs$/, route.routeKey)
      assert.deepEqual([deployed.memoryMb, deployed.timeoutSeconds], [declared.memoryMb, declared.timeoutSeconds], route.routeKey)
      assert.deepEqual(Object.keys(deployed.environment).filter((k) => k !== 'NODE_OPTIONS').sort(), Object.keys(declared.environment).sort(), route.routeKey)
      assert.equal(Boolean(loaded.api.routes.find((r) => r.routeKey === route.routeKey)!.twoWay), 'twoWay' in route && route.twoWay, route.routeKey)
    }
    assert.deepEqual(loaded.api.authorizer?.identitySource, api.authorizer.identitySource)
    assert.deepEqual(loaded.api.throttle, api.throttle)
    assert.deepEqual(Object.values(loaded.tables)[0].globalIndexes.map((i) => i.indexName), ['gsi1'])
    assert.equal(loaded.userPool?.passwordPolicy.minLength, userPool.passwordPolicy.minLength)
    // The web page (S3, CloudFront) and IAM are the parts left to AWS.
    for (const type of ['AWS::S3::Bucket', 'AWS::CloudFront::Distribution', 'AWS::IAM::Role']) assert.ok(loaded.notEmulated[type], type)
    // Only the page's deployment function (a Python custom resource) is left; every alias and the version it runs are used.
    assert.equal(loaded.notEmulated['AWS::Lambda::Function']?.length, 1)
    assert.equal(loaded.notEmulated['AWS::Lambda::Version'], undefined)
    assert.equal(loaded.notEmulated['AWS::Lambda::Alias'], undefined)
    assert.equal(loaded.notEmulated['AWS::ApiGatewayV2::Route'], undefined)
  } finally {
    loaded.dispose()
  }
})

test('from the assembly, two users chat in a room, with acks, history and presence', async (t) => {
  const ann = await open(t, 'ca-ann')
  const ben = await open(t, 'ca-ben')
  await ok(ann, { action: 'joinroom', room: 'ca-room' })
  await ok(ben, { action: 'joinroom', room: 'ca-room' })
  const ack = await ok(ann, { action: 'sendmessage', room: 'ca-room', text: 'from the cloud assembly' })
  const atBen = await seen(ben, (f) => f.type === 'message' && f.room === 'ca-room')
  assert.equal(atBen.text, 'from the cloud assembly')
  assert.equal(atBen.id, ack.id)
  const history = await ok(ben, { action: 'history', room: 'ca-room' })
  assert.deepEqual(history.messages.map((m: { text: string }) => m.text), ['from the cloud assembly'])
})

test('from the assembly, a direct message reaches its two people only', async (t) => {
  const cal = await open(t, 'ca-cal')
  const dee = await open(t, 'ca-dee')
  const eve = await open(t, 'ca-eve')
  const { room } = await ok(cal, { action: 'opendirect', userId: (await whoIs(dee)).userId })
  await ok(cal, { action: 'sendmessage', room, text: 'psst' })
  assert.equal((await seen(dee, (f) => f.type === 'message' && f.room === room)).text, 'psst')
  await barrier(eve)
  assert.deepEqual(all(eve, (f) => f.type === 'message' && f.room === room), [])
})

test('from the assembly, bad frames get coded errors and the socket stays open', async (t) => {
  const fay = await open(t, 'ca-fay')
  fay.send('not json')
  await seen(fay, (f) => f.type === 'error' && f.code === 'BAD_FRAME')
  const unknown = await call(fay, { action: 'dance' })
  assert.equal(unknown.code, 'UNKNOWN_ACTION')
  await ok(fay, { action: 'heartbeat' })
})

test('from the assembly, the authorizer refuses a connect without a valid token', async () => {
  for (const url of [emu.url, `${emu.url}?token=not-a-jwt`]) {
    const refused = await TestClient.connect(url).then(
      () => assert.fail(`connected to ${url}`),
      (error: unknown) => error,
    )
    assert.ok(refused instanceof HandshakeRejected)
    assert.equal(refused.status, 401)
  }
})

test('the whole public end-to-end suite passes against the emulator running the synthesized assembly', async () => {
  const run = await runPublicSuite(`cloud-assembly:${synth.assemblyDir}`)
  assert.equal(run.fail, 0, run.output.slice(-6000))
  assert.equal(run.code, 0, run.output.slice(-6000))
  assert.ok(run.pass >= 10 && run.pass === run.tests, `${run.pass} of ${run.tests} passed`)
})
