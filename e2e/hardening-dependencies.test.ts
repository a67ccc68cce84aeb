// Issue 9, "dependencies that fail": DynamoDB's thread dying, a full disk under --data, a sandbox
// dying mid-invocation. Each is said once, with what to do; requests fail with the error AWS would
// give; the emulator and close() carry on.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { DynamoDBClient, InternalServerError, ListTablesCommand } from '@aws-sdk/client-dynamodb'
import type { EmulatorNotice } from '../emulator/notices.ts'
import { projectRoot, startChatEmulator } from './chat-emulator.ts'
import { startFixture } from './fixtures/fidelity/fixture-emulator.ts'
import { ok, seen } from './product-client.ts'
import { connectAs } from './users.ts'

test('when DynamoDB dies, it is said once; DynamoDB answers InternalServerError, routes "Internal server error", and close() resolves', async (t) => {
  const notices: EmulatorNotice[] = []
  const emu = await startChatEmulator({ notice: (n) => notices.push(n) })
  t.after(() => emu.close())
  const alice = await connectAs(emu, 'alice')
  t.after(() => alice.close())
  await ok(alice, { action: 'joinroom', room: 'before' })
  await emu.faults.crashDynamoDB()
  const mark = alice.frames.length
  alice.send({ action: 'sendmessage', room: 'before', text: 'into the void' })
  // API Gateway's own error frame (it carries no ref): the function failed on DynamoDB's 500s.
  await seen(alice, (f) => f.message === 'Internal server error', { since: mark, timeoutMs: 10_000 })
  const db = new DynamoDBClient({ endpoint: emu.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 })
  t.after(() => db.destroy())
  await assert.rejects(db.send(new ListTablesCommand({})), (error: unknown) => error instanceof InternalServerError && error.$metadata.httpStatusCode === 500)
  assert.deepEqual(
    notices.map((n) => n.kind),
    ['dynamodb-stopped'],
  )
  await emu.close()
})

test('a full disk under --data fails writes with InternalServerError, said once; reads and the rest go on', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'dynamowave-full-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  // A file-size limit makes the store's log file hit the end of the "disk" (EFBIG, as ENOSPC would);
  // SIGXFSZ is ignored so the write fails instead of killing the process.
  const script = `trap '' XFSZ; ulimit -f 256; exec "${process.execPath}" --import tsx e2e/fixtures/full-disk/fill-table.ts "${dir}"`
  const { stdout } = await promisify(execFile)('bash', ['-c', script], {
    cwd: projectRoot,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    timeout: 60_000,
  })
  const seen = JSON.parse(stdout.trim().split('\n').at(-1)!) as { written: number; failures: { name: string; status: number }[]; readBack: string; notices: EmulatorNotice[] }
  assert.ok(seen.written > 50, `only ${seen.written} writes landed before the disk was "full"`)
  assert.deepEqual(seen.failures, Array(3).fill({ name: 'InternalServerError', status: 500 }))
  assert.equal(seen.readBack, 'item-0')
  assert.equal(seen.notices.length, 1)
  assert.equal(seen.notices[0].kind, 'dynamodb-fault')
  assert.match((seen.notices[0] as { detail: string }).detail, /^LEVEL_IO_ERROR: .*File too large/)
})

test('a sandbox that dies mid-invocation fails that invocation ("Internal server error") and is said once', async (t) => {
  const notices: EmulatorNotice[] = []
  const fx = await startFixture(t, { notice: (n) => notices.push(n) })
  const { client } = await fx.connect()
  client.send({ action: 'crash', how: 'exit' })
  assert.equal((await client.next()).message, 'Internal server error')
  client.send({ action: 'crash', how: 'count' })
  assert.deepEqual(await client.next(), { invocations: 1 })
  assert.equal(notices.length, 1)
  assert.deepEqual({ ...notices[0], reason: undefined }, { kind: 'sandbox-died', function: 'fidelity-crash', reason: undefined, failedInvocations: 1 })
})
