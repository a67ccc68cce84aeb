// Issue 10, "presence converges" (src/protocol.md): members are read from the room's items, every
// event carries the members and a version, a lost `$disconnect` is repaired by the next post to the
// room or by TTL, and a join racing its own `$disconnect` leaves nothing behind.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { ScanCommand } from '@aws-sdk/lib-dynamodb'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { all, barrier, ok, openAs, seen, whoIs, type Frame } from './product-client.ts'
import { connectAs } from './users.ts'
import type { TestClient } from './ws-client.ts'

let emu: ChatEmulator
before(async () => {
  emu = await startChatEmulator()
})
after(() => emu.close())

/** What a client that applies only newer versions shows for a room (the page does this). */
function shownMembers(client: TestClient, room: string): string[] | undefined {
  let best: Frame | undefined
  for (const frame of all(client, (f) => (f.type === 'presence' || f.type === 'room') && f.room === room)) {
    if (!best || frame.version > best.version) best = frame
  }
  return best?.members.map((m: { username: string }) => m.username).sort()
}

async function itemsOfConnection(connectionId: string) {
  const { Items = [] } = await emu.db.send(new ScanCommand({ TableName: 'chat', FilterExpression: 'pk = :c OR sk = :c', ExpressionAttributeValues: { ':c': `CONN#${connectionId}` } }))
  return Items
}

/** Resolves once `fn` has made `count` more DynamoDB calls than `from` (polled: the emulator has no event for it). */
async function afterCalls(fn: string, from: number, count: number, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (callCount(await emu.dynamoDBCalls(), fn) < from + count) {
    if (Date.now() > deadline) throw new Error(`${fn} made fewer than ${count} DynamoDB calls within ${timeoutMs} ms`)
    await new Promise((resolve) => setImmediate(resolve))
  }
}

const callCount = (calls: Record<string, Record<string, number>>, fn: string) => Object.values(calls[fn] ?? {}).reduce((a, b) => a + b, 0)

test('a join racing its own close never leaves the connection in the room, wherever in the join the close falls', async (t) => {
  const watcher = await openAs(t, emu, 'pc-watch')
  await ok(watcher, { action: 'joinroom', room: 'pc-race' })
  // Each of the join's DynamoDB calls takes 40 ms, so the $disconnect can fall after any of them.
  t.after(emu.faults.delayDynamoDB('joinroom', 40))
  const ids: string[] = []
  for (let step = 0; step <= 9; step++) {
    const seenBefore = emu.invocations.length
    const racer = await connectAs(emu, 'pc-racer')
    ids.push(emu.invocations.slice(seenBefore).find((e) => e.routeKey === '$connect' && e.function === 'connect')!.connectionId)
    const from = callCount(await emu.dynamoDBCalls(), 'joinroom')
    racer.send({ action: 'joinroom', room: 'pc-race' })
    if (step > 0) await afterCalls('joinroom', from, step).catch(() => undefined)
    racer.socket.terminate()
    await emu.settled()
  }
  for (const id of ids) assert.deepEqual(await itemsOfConnection(id), [], id)
  await barrier(watcher)
  assert.deepEqual(shownMembers(watcher, 'pc-race'), ['pc-watch'])
  assert.equal((await ok(watcher, { action: 'joinroom', room: 'pc-race' })).memberCount, 1)
})

test('events carry the members and a version that only grows; applying newer versions shows the truth', async (t) => {
  const watcher = await openAs(t, emu, 'pv-watch')
  await ok(watcher, { action: 'joinroom', room: 'pv-room' })
  const tabs = await Promise.all(['pv-a', 'pv-b', 'pv-c', 'pv-a'].map((name) => openAs(t, emu, name)))
  await Promise.all(tabs.map((tab) => ok(tab, { action: 'joinroom', room: 'pv-room' })))
  await Promise.all([tabs[0].close(), ok(tabs[1], { action: 'leaveroom', room: 'pv-room' })])
  await emu.settled()
  await barrier(watcher)
  const versions = all(watcher, (f) => f.type === 'presence').map((f) => f.version)
  assert.equal(new Set(versions).size, versions.length, 'no version is sent twice')
  assert.deepEqual(shownMembers(watcher, 'pv-room'), ['pv-a', 'pv-c', 'pv-watch'])
})

test('a lost $disconnect: the next post to the room removes the ghost and tells everyone', async (t) => {
  const watcher = await openAs(t, emu, 'pg-watch')
  await ok(watcher, { action: 'joinroom', room: 'pg-room' })
  const seenBefore = emu.invocations.length
  const ghost = await connectAs(emu, 'pg-ghost')
  const ghostId = emu.invocations.slice(seenBefore).find((e) => e.function === 'connect')!.connectionId
  await ok(ghost, { action: 'joinroom', room: 'pg-room' })
  const ghostUser = await whoIs(ghost)
  t.after(emu.faults.dropDisconnects((id) => id === ghostId))
  ghost.socket.terminate()
  await emu.settled()
  await barrier(watcher)
  // Nothing told anyone: API Gateway never said the connection closed.
  assert.deepEqual(shownMembers(watcher, 'pg-room'), ['pg-ghost', 'pg-watch'])
  const mark = watcher.frames.length
  await ok(watcher, { action: 'sendmessage', room: 'pg-room', text: 'anyone?' })
  const left = await seen(watcher, (f) => f.type === 'presence' && f.event === 'left', { since: mark })
  assert.deepEqual(left.user, ghostUser)
  assert.deepEqual(shownMembers(watcher, 'pg-room'), ['pg-watch'])
  assert.deepEqual(await itemsOfConnection(ghostId), [])
})

test('a lost $disconnect in a room nobody posts to: once TTL sweeps, the counts are right again', async (t) => {
  const seenBefore = emu.invocations.length
  const ghost = await connectAs(emu, 'pt-ghost')
  const ghostId = emu.invocations.slice(seenBefore).find((e) => e.function === 'connect')!.connectionId
  await ok(ghost, { action: 'joinroom', room: 'pt-room' })
  t.after(emu.faults.dropDisconnects((id) => id === ghostId))
  ghost.socket.terminate()
  await emu.settled()
  const before = await openAs(t, emu, 'pt-look')
  const listed = async (client: TestClient) => (await ok(client, { action: 'listrooms', limit: 100 })).rooms.find((r: { room: string }) => r.room === 'pt-room')
  assert.equal((await listed(before)).memberCount, 1)
  // Past the connection's lifetime (2 h 15 min; API Gateway would have closed it at 2 h).
  await emu.sweepExpiredItems({ asOf: Date.now() + 3 * 3600_000 })
  assert.deepEqual(await itemsOfConnection(ghostId), [])
  const after = await openAs(t, emu, 'pt-look')
  assert.equal((await listed(after)).memberCount, 0)
})
