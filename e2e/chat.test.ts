import { test } from 'node:test'
import assert from 'node:assert/strict'
import { startChatEmulator } from './chat-emulator.ts'
import { connectAs } from './users.ts'

test('two clients chat both ways with the AWS tutorial frame', async (t) => {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  const alice = await connectAs(emu, 'alice')
  const bob = await connectAs(emu, 'bob')
  t.after(() => Promise.all([alice.close(), bob.close()]))

  alice.send({ action: 'sendmessage', data: 'hi bob' })
  const atBob = await bob.next((f) => f.type === 'message')
  assert.equal(atBob.text, 'hi bob')
  assert.equal(atBob.username, 'alice')
  assert.equal(atBob.room, 'lobby')

  bob.send({ action: 'sendmessage', text: 'hi alice', clientMessageId: 'm-1' })
  const atAlice = await alice.next((f) => f.type === 'message' && f.username === 'bob')
  assert.equal(atAlice.text, 'hi alice')
  const ack = await bob.next((f) => f.type === 'ack')
  assert.deepEqual(ack, { type: 'ack', action: 'sendmessage', room: 'lobby', id: atAlice.id, sentAt: atAlice.sentAt, clientMessageId: 'm-1' })
})
