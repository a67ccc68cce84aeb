// A new room's announcement (`roomcreated`) goes to the whole lobby, and the creator's answer waits
// for it; so it is best effort within a budget (src/rooms.ts, protocol.md): a lobby full of
// connections whose `$disconnect` never came, each answering slowly, does not hold the creator up
// for all of them.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { ok, openAs } from './product-client.ts'

let emu: ChatEmulator
before(async () => {
  emu = await startChatEmulator({ notice: () => {} })
})
after(() => emu.close())

test('a room is announced to as many lobby listeners as its budget reaches, and its creator gets the answer', async (t) => {
  const creator = await openAs(t, emu, 'ann-creator')
  // 600 lobby listeners left behind (their sockets are gone, TTL has not swept them yet), as the
  // table keeps them (src/tables.ts: live member of a room).
  const stale = Array.from({ length: 600 }, (_, i) => `St${String(i).padStart(12, '0')}A=`)
  const isStale = new Set(stale)
  for (let i = 0; i < stale.length; i += 25) {
    const items = stale.slice(i, i + 25).map((connectionId) => ({
      pk: 'ROOM#lobby',
      sk: `CONN#${connectionId}`,
      gsi1pk: `CONN#${connectionId}`,
      gsi1sk: 'ROOM#lobby',
      connectionId,
      userId: `u-${connectionId}`,
      username: connectionId,
      active: true,
      joinedAt: Date.now(),
    }))
    await emu.db.send(new BatchWriteCommand({ RequestItems: { chat: items.map((Item) => ({ PutRequest: { Item } })) } }))
  }
  // Every post to them takes 200 ms before it finds them gone: all 600 would take about 4 s at the
  // fan-out's 32 in flight.
  const attempted = new Set<string>()
  const off = emu.faults.delayPosts((connectionId) => {
    if (!isStale.has(connectionId)) return 0
    attempted.add(connectionId)
    return 200
  })
  t.after(off)
  const reply = await ok(creator, { action: 'joinroom', room: 'announced-room' })
  assert.equal(reply.type, 'room')
  assert.ok(attempted.size > 0, 'the announcement went out')
  assert.ok(attempted.size < stale.length, `cut at its budget: ${attempted.size} of ${stale.length} attempted`)
})
