// Another project's app on the emulator, unchanged: AWS-tutorial-style handlers (plain JS, SDK v3,
// their own table keyed by connectionId, a management endpoint built from `domainName` and `stage`).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { startEmulator } from '../emulator/start-emulator.ts'
import { recordInvocations } from './invocation-recorder.ts'
import { api } from './fixtures/standalone/api.ts'
import { tables } from './fixtures/standalone/tables.ts'
import { Waiters } from './waiters.ts'
import { TestClient } from './ws-client.ts'

const projectRoot = fileURLToPath(new URL('..', import.meta.url))
const appRoot = fileURLToPath(new URL('./fixtures/standalone/', import.meta.url))
type After = { after: (fn: () => unknown) => void }

async function startApp(t: After) {
  const recorder = recordInvocations()
  const log = recorder.invocations
  const emulator = await startEmulator({ api, tables, root: appRoot, functionOutput: 'ignore', log: recorder.log })
  t.after(() => emulator.close())
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: emulator.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }),
  )
  t.after(() => db.destroy())
  const connectionIds = async () =>
    ((await db.send(new ScanCommand({ TableName: 'simplechat_connections' }))).Items ?? []).map((i) => i.connectionId as string).sort()
  return { emulator, db, log, connectionIds, waitFor: recorder.waitFor }
}

async function open(url: string, t: After): Promise<TestClient> {
  const client = await TestClient.connect(url)
  t.after(() => client.close())
  return client
}

test('stand-alone: the tutorial chat runs unchanged; its posts to https://{domainName}/{stage} reach every client', async (t) => {
  const app = await startApp(t)
  const [alice, bob, carol] = [await open(app.emulator.url, t), await open(app.emulator.url, t), await open(app.emulator.url, t)]
  const ids = app.log.filter((e) => e.routeKey === '$connect').map((e) => e.connectionId)
  assert.deepEqual(await app.connectionIds(), [...ids].sort(), 'onconnect stored each connection')

  alice.send({ action: 'sendmessage', data: 'hello from alice' })
  for (const client of [alice, bob, carol]) assert.equal(await client.next(), 'hello from alice')
  // The invocation is logged once it has returned, which may be after its posts arrived.
  assert.equal((await app.waitFor((e) => e.routeKey === 'sendmessage')).status, 'ok')

  await carol.close()
  const carolId = ids[2]
  await app.waitFor((e) => e.routeKey === '$disconnect' && e.connectionId === carolId)
  assert.deepEqual(await app.connectionIds(), [ids[0], ids[1]].sort(), 'ondisconnect removed carol')
})

test('stand-alone: a stale id in the app\'s table gets a typed GoneException through the unmodified SDK and is deleted', async (t) => {
  const app = await startApp(t)
  const alice = await open(app.emulator.url, t)
  await app.db.send(new PutCommand({ TableName: 'simplechat_connections', Item: { connectionId: 'L0SM9cOFvHcCIhw=' } }))
  alice.send({ action: 'sendmessage', data: 'anyone there?' })
  assert.equal(await alice.next(), 'anyone there?')
  const aliceId = app.log.find((e) => e.routeKey === '$connect')!.connectionId
  // The send deletes the stale id after its post came back Gone: done once the invocation is.
  await app.emulator.settled()
  assert.deepEqual(await app.connectionIds(), [aliceId])
})

test('stand-alone CLI: `npm run emulator -- --api --tables --root --port 0` serves the app without the SDK\'s Node-version warning or a Cognito pool it does not use, logs each invocation, and Ctrl-C disconnects cleanly', async (t) => {
  // As emulator/README.md says to run it, in a shell that has not switched the warning off; Ctrl-C
  // signals the whole foreground process group (npm and the emulator), as a terminal does.
  const { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: _, ...env } = process.env
  const child = spawn(
    'npm',
    ['run', '--silent', 'emulator', '--', '--api', 'e2e/fixtures/standalone/api.ts', '--tables', 'e2e/fixtures/standalone/tables.ts', '--root', 'e2e/fixtures/standalone', '--port', '0'],
    { cwd: projectRoot, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  )
  t.after(() => {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // Already gone.
    }
  })
  let output = ''
  const waiters = new Waiters()
  child.stdout.on('data', (chunk: Buffer) => {
    output += chunk.toString()
    waiters.wake()
  })
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  const printed = (pattern: RegExp, timeoutMs = 15_000) =>
    waiters.until(
      () => {
        const match = output.match(pattern)
        return match ? { value: match } : undefined
      },
      timeoutMs,
      () => `${pattern} to be printed; output:\n${output}`,
    )

  const [, url] = await printed(/WebSocket\s+(ws:\/\/127\.0\.0\.1:\d+\/prod)/)
  const alice = await TestClient.connect(url)
  const bob = await TestClient.connect(url)
  alice.send({ action: 'sendmessage', data: 'via the CLI' })
  assert.equal(await bob.next(), 'via the CLI')
  // One readable line per invocation: time, route, status, duration, connection and request ids.
  await printed(/^\d\d:\d\d:\d\d\.\d{3} sendmessage\s+ok\s+\d+\.\d ms {2}conn=[A-Za-z0-9_-]{15}= req=[A-Za-z0-9_-]{15}= {2}billed=\d+ms mem=\d+\/256MB( init=\d+\.\dms)?$/m)

  assert.doesNotMatch(output, /NodeVersionSupportWarning|Cognito/)
  // npm itself ends by the signal; the emulator's clean exit shows in what it printed, and in its
  // end of the shared output (stdio closes once every process holding it has exited).
  const exited = new Promise<number | null>((resolve) => child.once('close', (code, signal) => resolve(signal === 'SIGINT' ? 0 : code)))
  process.kill(-child.pid!, 'SIGINT')
  assert.deepEqual(await Promise.all([alice.closed(), bob.closed()]), [
    { code: 1001, reason: 'Going away' },
    { code: 1001, reason: 'Going away' },
  ])
  assert.equal(await exited, 0)
  assert.equal(output.match(/ \$disconnect\s+ok /g)?.length, 2, output)
  assert.doesNotMatch(output, /emulator: (not closed|closing failed|last-resort)/)
})
