// Issue 9, as a developer meets the emulator: `npm run dev` in its own process. Malformed input
// never reaches the last-resort handler; Ctrl-C closes every socket with its `$disconnect` and
// exits within 5 s even when a `$disconnect` hangs; with --data, every acknowledged message
// survives `kill -9` of the whole process group.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startEmulatorProcess, type EmulatorProcess, type EmulatorProcessOptions } from './bench/emulator-process.ts'
import { within } from './waiters.ts'
import { call, ok } from './product-client.ts'
import { httpRequest, rawRequest } from './raw-http.ts'
import { connectAs } from './users.ts'
import { TestClient } from './ws-client.ts'

type T = { after: (fn: () => unknown) => void }

/** As `npm run dev` runs it: its own process group, throttled, JSON logs. */
async function start(t: T, options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const emulator = await startEmulatorProcess({ jsonLogs: true, throttle: true, ownProcessGroup: true, ...options })
  t.after(() => emulator.kill('SIGKILL'))
  return emulator
}

test('malformed input never reaches the last-resort handler; Ctrl-C prints the bill, sends $disconnect for every socket and exits 0', async (t) => {
  const cli = await start(t, { web: 'src/web' })
  const wsKey = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' }
  for (const request of [
    httpRequest('GET', '/%E0%A4%A'),
    httpRequest('GET', '//', wsKey),
    httpRequest('GET', 'http://[::1', wsKey),
    httpRequest('GET', '/prod?token=%', { ...wsKey, 'Sec-WebSocket-Key': '' }),
    httpRequest('POST', '/prod/@connections/%E0', { Authorization: 'AWS4-HMAC-SHA256 x' }, 'x'),
    'GET / HTTP/1.1\r\nHost: x\r\nX: \x7f\x00\r\n\r\n',
  ]) {
    await rawRequest(cli.port, request)
  }
  const clients = await Promise.all(['ann', 'bob', 'cyd', 'dee', 'eve'].map((name) => connectAs(cli, name)))
  // An action nested 10,000 deep (npm run chaos found it overflowed route selection).
  clients[0].send(`{"action":${'['.repeat(10_000)}${']'.repeat(10_000)}}`)
  await ok(clients[0], { action: 'heartbeat' })
  const ids = new Set(cli.log.filter((l) => l.routeKey === '$connect' && l.function === 'connect').map((l) => l.connectionId))
  assert.equal(ids.size, 5)
  cli.kill('SIGINT')
  assert.deepEqual(await within(cli.exited, 6000, 'the emulator to exit'), { code: 0, signal: null })
  const disconnected = cli.log.filter((l) => l.routeKey === '$disconnect')
  assert.deepEqual(new Set(disconnected.map((l) => l.connectionId)), ids)
  assert.ok(disconnected.every((l) => l.status === 'ok'))
  for (const client of clients) assert.deepEqual(await client.closed(), { code: 1001, reason: 'Going away' })
  assert.doesNotMatch(cli.stderrTail(400).join('\n'), /last-resort|internal error/)
  // The whole bill, before the sockets close: five users signed in, each connect ran the authorizer and $connect.
  const bill = cli.stdoutTail(100).join('\n')
  assert.match(bill, /What this run would cost on AWS \(us-east-1, list prices, no free tier\)/)
  assert.match(bill, /^ {4}authorize +\S+ +5 requests/m)
  assert.match(bill, /^ {2}Cognito +\S+ +5 monthly active users$/m)
  assert.ok(bill.indexOf('What this run would cost') < bill.indexOf('closing: disconnecting open sockets'))
})

test('the usage line is printed each period when something changed since the last one', async (t) => {
  const cli = await start(t, { declaration: ['--api', 'src/api.ts', '--tables', 'src/tables.ts', '--user-pool', 'src/user-pool.ts', '--usage-every-ms', '100'] })
  const usageLine = /^usage: \$\S+ on AWS \(us-east-1\) — (\d+) messages, (\d+) connection-min, (\d+) Lambda requests/
  const ann = await connectAs(cli, 'ul-ann')
  t.after(() => ann.close())
  await ok(ann, { action: 'joinroom', room: 'ul-room' })
  const first = await cli.waitForOutput((line) => usageLine.test(line) && Number(usageLine.exec(line)![1]) === 2)
  // A heartbeat: its frame, its ack and its invocation show in a later line (a line may catch it half way).
  await ok(ann, { action: 'heartbeat' })
  const last = await cli.waitForOutput((line) => usageLine.test(line) && Number(usageLine.exec(line)![1]) === 4 && Number(usageLine.exec(line)![3]) === 4, first.index + 1)
  assert.deepEqual(usageLine.exec(last.line)!.slice(1, 4).map(Number), [4, 1, 4])
  // Printed every 100 ms only when it changed: never the same line twice in a row.
  const lines = cli.stdoutTail(200).filter((line) => usageLine.test(line))
  assert.ok(lines.length >= 2)
  assert.ok(lines.every((line, i) => i === 0 || line !== lines[i - 1]), lines.join('\n'))
})

test('Ctrl-C exits within 5 s when a $disconnect handler hangs', async (t) => {
  const cli = await start(t, { declaration: ['--api', 'e2e/fixtures/hanging-disconnect/api.ts'] })
  const clients = await Promise.all([1, 2, 3].map(() => TestClient.connect(cli.url)))
  cli.kill('SIGINT')
  // The deadline is the behaviour under test: 5 s, plus a little for the process to go.
  assert.deepEqual(await within(cli.exited, 6000, 'the emulator to exit'), { code: 0, signal: null })
  for (const client of clients) assert.equal((await client.closed()).code, 1001)
})

test('with --data, every acknowledged message survives kill -9 of the process group', async (t) => {
  const data = await mkdtemp(join(tmpdir(), 'dynamowave-durable-'))
  t.after(() => rm(data, { recursive: true, force: true }))
  const first = await start(t, { data })
  const alice = await connectAs(first, 'alice')
  await ok(alice, { action: 'joinroom', room: 'durable' })
  const acknowledged: string[] = []
  for (let i = 0; i < 30; i++) acknowledged.push((await ok(alice, { action: 'sendmessage', room: 'durable', text: `message ${i}` })).id)
  // One more on its way when the process dies: it may or may not land, but nothing acknowledged may go.
  alice.send({ action: 'sendmessage', room: 'durable', text: 'in flight' })
  first.kill('SIGKILL')
  assert.equal((await first.exited).signal, 'SIGKILL')
  alice.socket.terminate()

  const second = await start(t, { data })
  // The same account signs in again: the local Cognito's users are on disk too.
  const back = await connectAs(second, 'alice')
  t.after(() => back.close())
  await ok(back, { action: 'joinroom', room: 'durable' })
  const stored: string[] = []
  let before: string | undefined
  do {
    const page = await call(back, { action: 'history', room: 'durable', limit: 100, ...(before ? { before } : {}) })
    stored.push(...page.messages.map((m: { id: string }) => m.id))
    before = page.cursor ?? undefined
  } while (before)
  assert.deepEqual(acknowledged.filter((id) => !stored.includes(id)), [])
})
