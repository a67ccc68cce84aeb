import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PutCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
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

test('a closed client leaves no items in the table', async (t) => {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  const alice = await connectAs(emu, 'alice')
  const { connectionId } = await emu.waitFor((e) => e.routeKey === '$connect')
  assert.equal((await itemsOf(emu, connectionId)).length, 2, 'connection and lobby membership are stored')
  await alice.close()
  await emu.waitFor((e) => e.routeKey === '$disconnect' && e.status === 'ok')
  assert.deepEqual(await itemsOf(emu, connectionId), [])
})

test('a stale connection is removed on the next send while the others still receive', async (t) => {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  const alice = await connectAs(emu, 'alice')
  const bob = await connectAs(emu, 'bob')
  t.after(() => Promise.all([alice.close(), bob.close()]))
  // A peer whose socket is gone but whose $disconnect never ran: its items are still in the room.
  const stale = 'STALEconnection='
  await emu.db.send(new PutCommand({ TableName: 'chat', Item: { pk: `CONN#${stale}`, sk: 'META', gsi1pk: 'USER#name:ghost', gsi1sk: `CONN#${stale}`, userId: 'name:ghost', username: 'ghost', currentRoom: 'lobby' } }))
  await emu.db.send(new PutCommand({ TableName: 'chat', Item: { pk: 'ROOM#lobby', sk: `CONN#${stale}`, gsi1pk: `CONN#${stale}`, gsi1sk: 'ROOM#lobby', connectionId: stale, userId: 'name:ghost', username: 'ghost' } }))

  alice.send({ action: 'sendmessage', text: 'anyone there?' })
  assert.equal((await bob.next((f) => f.type === 'message')).text, 'anyone there?')
  assert.equal((await alice.next((f) => f.type === 'message')).text, 'anyone there?')
  await alice.next((f) => f.type === 'ack')
  assert.deepEqual(await itemsOf(emu, stale), [])
  const room = await emu.db.send(new QueryCommand({ TableName: 'chat', KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)', ExpressionAttributeValues: { ':p': 'ROOM#lobby', ':c': 'CONN#' } }))
  assert.deepEqual(room.Items?.map((i) => i.username).sort(), ['alice', 'bob'])
})

test('an unknown action gets an UNKNOWN_ACTION error frame naming the valid actions, and the socket stays open', async (t) => {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  const alice = await connectAs(emu, 'alice')
  t.after(() => alice.close())
  alice.send({ action: 'dance' })
  const error = await alice.next((f) => f.type === 'error')
  assert.equal(error.code, 'UNKNOWN_ACTION')
  assert.match(String(error.message), /Valid actions: .*sendmessage/)
  alice.send('not json at all')
  assert.equal((await alice.next((f) => f.type === 'error')).code, 'BAD_FRAME')
  alice.send({ action: 'sendmessage', data: 'still here' })
  assert.equal((await alice.next((f) => f.type === 'message')).text, 'still here')
})

/** Every item about the connection: its record and its places in rooms (a test may scan). */
async function itemsOf(emu: ChatEmulator, connectionId: string) {
  const { Items = [] } = await emu.db.send(
    new ScanCommand({ TableName: 'chat', FilterExpression: 'pk = :c OR sk = :c', ExpressionAttributeValues: { ':c': `CONN#${connectionId}` } }),
  )
  return Items
}
