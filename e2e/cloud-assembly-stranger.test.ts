// A stranger's CDK app through the emulator: e2e/fixtures/stranger-cdk-app is written the way the CDK
// documentation shows (it knows nothing of DynamoWave), synthesized here, and its cloud assembly run
// unchanged: its handlers with non-default export names, its SDK left to the Lambda runtime, its
// table under CDK's generated name, its authorizer checking the local Cognito's tokens, its
// management endpoint built by WebSocketStage.callbackUrl.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { startEmulator, type Emulator } from '../emulator/start-emulator.ts'
import type { EmulatorNotice } from '../emulator/notices.ts'
import { synthStrangerApp } from './fixtures/stranger-cdk-app/app.ts'
import { recordInvocations } from './invocation-recorder.ts'
import { connectAs } from './users.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

let outdir: string
let stack: string
before(() => {
  outdir = mkdtempSync(join(tmpdir(), 'stranger-cdk-'))
  stack = synthStrangerApp(outdir)
})
after(() => rmSync(outdir, { recursive: true, force: true }))

async function start(t: { after: (fn: () => unknown) => void }) {
  const notices: EmulatorNotice[] = []
  const recorder = recordInvocations()
  const emulator: Emulator = await startEmulator({ cloudAssembly: { dir: outdir }, functionOutput: 'ignore', log: recorder.log, notice: (n) => notices.push(n), bundleCache: false })
  t.after(() => emulator.close())
  return { emulator, notices, ...recorder }
}

test('the stranger app runs from cdk.out: authorized connects, a two-way route, and a broadcast through its callback URL', async (t) => {
  const { emulator, notices, waitFor } = await start(t)
  assert.equal(emulator.stage, 'dev', 'the stage the template deploys')
  const [alice, bob] = [await connectAs(emulator, 'alice'), await connectAs(emulator, 'bob')]
  t.after(() => Promise.all([alice.close(), bob.close()]))

  // whoami returns a response (CDK's returnResponse: a $default route response) naming the authorizer's context.
  alice.send({ action: 'whoami' })
  const me = await alice.next((f) => 'username' in f)
  assert.equal(me.username, 'alice')

  alice.send({ action: 'sendmessage', text: 'hello from a stranger' })
  for (const client of [alice, bob]) assert.deepEqual(await client.next((f) => 'text' in f), { from: 'alice', text: 'hello from a stranger' })
  assert.equal((await waitFor((e) => e.routeKey === 'sendmessage')).status, 'ok')

  const [started] = notices.filter((n) => n.kind === 'cloud-assembly')
  assert.ok(started && started.kind === 'cloud-assembly')
  assert.equal(started.stack, stack)
  assert.ok(started.notEmulated['AWS::IAM::Role']?.length, 'IAM is listed as not emulated')
  assert.ok(started.notEmulated['AWS::Lambda::Permission']?.length)
  assert.deepEqual(started.warnings, [])
})

test('the stranger app keeps its connections in its own table, under the name CDK left to CloudFormation', async (t) => {
  const { emulator, waitFor } = await start(t)
  const client = await connectAs(emulator, 'carol')
  t.after(() => client.close())
  await waitFor((e) => e.routeKey === '$connect' && e.status === '200')
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulator.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }))
  t.after(() => db.destroy())
  // No TableName in the template: the table is the logical id's.
  const { Items } = await db.send(new ScanCommand({ TableName: tableId() }))
  assert.deepEqual(Items?.map((item) => item.username), ['carol'])
})

test('its authorizer refuses a connect without a token (401), as on AWS', async (t) => {
  const { emulator } = await start(t)
  const refused = await TestClient.connect(emulator.url).then(
    () => assert.fail('connected without a token'),
    (error: unknown) => error,
  )
  assert.ok(refused instanceof HandshakeRejected)
  assert.ok([401, 403].includes(refused.status), `status ${refused.status}`)
})

function tableId(): string {
  // CDK names the table's logical id `Connections` + a hash of its path.
  const template = JSON.parse(readFileSync(join(outdir, `${stack}.template.json`), 'utf8')) as { Resources: Record<string, { Type: string }> }
  return Object.entries(template.Resources).find(([, r]) => r.Type === 'AWS::DynamoDB::Table')![0]
}
