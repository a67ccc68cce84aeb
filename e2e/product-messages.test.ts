// Messages end to end: send, idempotent retries, history paging from any point, edits and deletes.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { all, barrier, call, ok, openAs, seen, type Frame } from './product-client.ts'
import type { TestClient } from './ws-client.ts'

let emu: ChatEmulator
before(async () => {
  emu = await startChatEmulator()
})
after(() => emu.close())

async function inRoom(t: { after: (fn: () => unknown) => void }, username: string, room: string): Promise<TestClient> {
  const client = await openAs(t, emu, username)
  await ok(client, { action: 'joinroom', room })
  return client
}


async function storedMessages(room: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await emu.db.send(
    new QueryCommand({
      TableName: 'chat',
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :m)',
      ExpressionAttributeValues: { ':p': `ROOM#${room}`, ':m': 'MSG#' },
    }),
  )
  return Items
}

test('sendmessage reaches everyone in the room, the sender too, with a server id and time; the ack matches', async (t) => {
  const ann = await inRoom(t, 'sm-ann', 'sm-room')
  const ben = await inRoom(t, 'sm-ben', 'sm-room')
  const before = Date.now()
  const ack = await ok(ann, { action: 'sendmessage', room: 'sm-room', text: 'hello\nworld' })
  const atBen = await seen(ben, (f) => f.type === 'message')
  const atAnn = await seen(ann, (f) => f.type === 'message')
  assert.deepEqual(atBen, atAnn)
  const { userId } = (await ok(ann, { action: 'listrooms' })).user
  assert.deepEqual(atBen, { type: 'message', room: 'sm-room', id: ack.id, userId, username: 'sm-ann', text: 'hello\nworld', sentAt: ack.sentAt })
  assert.deepEqual(ack, { type: 'ack', action: 'sendmessage', room: 'sm-room', id: atBen.id, sentAt: atBen.sentAt, ref: ack.ref })
  assert.match(ack.id, /^[0-9A-HJKMNP-TV-Z]{26}$/)
  assert.ok(Date.parse(ack.sentAt) >= before - 1000 && Date.parse(ack.sentAt) <= Date.now() + 1000)
  assert.equal((await storedMessages('sm-room')).length, 1)
})

test('a retried send with the same clientMessageId is stored and delivered once and acknowledged with the same id', async (t) => {
  const cal = await inRoom(t, 'id-cal', 'id-room')
  const dee = await inRoom(t, 'id-dee', 'id-room')
  const first = await ok(cal, { action: 'sendmessage', room: 'id-room', text: 'once', clientMessageId: 'c-1' })
  const retry = await ok(cal, { action: 'sendmessage', room: 'id-room', text: 'once', clientMessageId: 'c-1' })
  assert.deepEqual(retry, { ...first, duplicate: true, ref: retry.ref })
  // Another user's clientMessageId space is their own.
  const other = await ok(dee, { action: 'sendmessage', room: 'id-room', text: 'mine', clientMessageId: 'c-1' })
  assert.notEqual(other.id, first.id)
  await barrier(dee)
  assert.deepEqual(all(dee, (f) => f.type === 'message').map((f) => f.text), ['once', 'mine'])
  assert.deepEqual((await storedMessages('id-room')).map((m) => m.text), ['once', 'mine'])
})

test('history pages newest first with a cursor, from any point, with before and after bounds', async (t) => {
  const eve = await inRoom(t, 'hi-eve', 'hi-room')
  const ids: string[] = []
  for (let i = 0; i < 7; i++) ids.push((await ok(eve, { action: 'sendmessage', room: 'hi-room', text: `m${i}` })).id)
  const newestFirst = [...ids].reverse()

  const page1 = await ok(eve, { action: 'history', room: 'hi-room', limit: 3 })
  assert.deepEqual(page1.messages.map((m: Frame) => m.id), newestFirst.slice(0, 3))
  assert.equal(page1.cursor, newestFirst[2])
  const page2 = await ok(eve, { action: 'history', room: 'hi-room', limit: 3, before: page1.cursor })
  assert.deepEqual(page2.messages.map((m: Frame) => m.id), newestFirst.slice(3, 6))
  const page3 = await ok(eve, { action: 'history', room: 'hi-room', limit: 3, before: page2.cursor })
  assert.deepEqual(page3.messages.map((m: Frame) => m.id), newestFirst.slice(6))
  assert.equal(page3.cursor, null)

  const whole = await ok(eve, { action: 'history', room: 'hi-room' })
  assert.deepEqual(whole.messages.map((m: Frame) => m.text), ['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0'])
  assert.equal(whole.cursor, null)
  assert.deepEqual(Object.keys(whole.messages[0]).sort(), ['id', 'room', 'sentAt', 'text', 'userId', 'username'])

  // Catch-up after a reconnect: everything after the last seen id.
  const since = await ok(eve, { action: 'history', room: 'hi-room', after: ids[4] })
  assert.deepEqual(since.messages.map((m: Frame) => m.text), ['m6', 'm5'])
  const between = await ok(eve, { action: 'history', room: 'hi-room', after: ids[1], before: ids[5] })
  assert.deepEqual(between.messages.map((m: Frame) => m.text), ['m4', 'm3', 'm2'])
  const betweenPaged = await ok(eve, { action: 'history', room: 'hi-room', after: ids[1], before: ids[5], limit: 2 })
  assert.deepEqual(betweenPaged.messages.map((m: Frame) => m.text), ['m4', 'm3'])
  assert.equal(betweenPaged.cursor, ids[3])

  for (const limit of [0, 101, 2.5, '10']) {
    const reply = await call(eve, { action: 'history', room: 'hi-room', limit })
    assert.equal(reply.code, 'BAD_FRAME', `limit ${JSON.stringify(limit)}`)
  }
  assert.equal((await call(eve, { action: 'history', room: 'hi-room', before: 'not-an-id' })).code, 'BAD_FRAME')
  assert.equal((await ok(eve, { action: 'history', room: 'hi-room', limit: 100 })).messages.length, 7)
})

test('history of a room with big messages stays under 100 KB per reply and pages on', async (t) => {
  const fin = await inRoom(t, 'bg-fin', 'bg-room')
  const big = '€'.repeat(4000) // 12 KB in UTF-8
  for (let i = 0; i < 12; i++) await ok(fin, { action: 'sendmessage', room: 'bg-room', text: `${i % 10}${big.slice(1)}` })
  const page = await ok(fin, { action: 'history', room: 'bg-room', limit: 100 })
  const bytes = Buffer.byteLength(JSON.stringify(page))
  assert.ok(bytes < 128 * 1024, `reply is ${bytes} bytes`)
  assert.ok(page.messages.length < 12 && page.messages.length > 0)
  const rest = await ok(fin, { action: 'history', room: 'bg-room', limit: 100, before: page.cursor })
  assert.equal(page.messages.length + rest.messages.length, 12)
  assert.equal(rest.cursor, null)
})

test('editing and deleting your own message is broadcast and kept in history; others get NOT_OWNER, gone ones NOT_FOUND', async (t) => {
  const gil = await inRoom(t, 'ed-gil', 'ed-room')
  const hut = await inRoom(t, 'ed-hut', 'ed-room')
  const sent = await ok(gil, { action: 'sendmessage', room: 'ed-room', text: 'tpyo' })

  const notYours = await call(hut, { action: 'editmessage', room: 'ed-room', id: sent.id, text: 'hijack' })
  assert.deepEqual(notYours, { type: 'error', code: 'NOT_OWNER', message: 'You can only change your own messages', details: { id: sent.id }, ref: notYours.ref })
  assert.equal((await call(hut, { action: 'deletemessage', room: 'ed-room', id: sent.id })).code, 'NOT_OWNER')

  const mark = hut.frames.length
  const edited = await ok(gil, { action: 'editmessage', room: 'ed-room', id: sent.id, text: 'typo' })
  assert.deepEqual(edited, { type: 'ack', action: 'editmessage', room: 'ed-room', id: sent.id, ref: edited.ref })
  const editEvent = await seen(hut, (f) => f.type === 'edited', { since: mark })
  assert.deepEqual(editEvent, { type: 'edited', room: 'ed-room', id: sent.id, text: 'typo', editedAt: editEvent.editedAt })
  const afterEdit = (await ok(hut, { action: 'history', room: 'ed-room' })).messages[0]
  assert.equal(afterEdit.text, 'typo')
  assert.equal(afterEdit.editedAt, editEvent.editedAt)

  await ok(gil, { action: 'deletemessage', room: 'ed-room', id: sent.id })
  const deleteEvent = await seen(hut, (f) => f.type === 'deleted', { since: mark })
  assert.deepEqual(deleteEvent, { type: 'deleted', room: 'ed-room', id: sent.id, deletedAt: deleteEvent.deletedAt })
  const afterDelete = (await ok(hut, { action: 'history', room: 'ed-room' })).messages[0]
  assert.deepEqual(afterDelete, { ...afterEdit, text: '', deleted: true, deletedAt: deleteEvent.deletedAt })

  assert.equal((await call(gil, { action: 'editmessage', room: 'ed-room', id: sent.id, text: 'back' })).code, 'NOT_FOUND')
  assert.equal((await call(gil, { action: 'deletemessage', room: 'ed-room', id: sent.id })).code, 'NOT_FOUND')
  const unknownId = '01ARZ3NDEKTSV4RRFFQ69G5FAV'
  assert.equal((await call(gil, { action: 'editmessage', room: 'ed-room', id: unknownId, text: 'x' })).code, 'NOT_FOUND')
  // Nothing was created by the failed edits.
  assert.deepEqual((await storedMessages('ed-room')).map((m) => [m.id, m.text, m.deleted]), [[sent.id, undefined, true]])
})

test('text is 1 to 4,000 characters, counted as people count them; longer is TOO_LONG, blank is BAD_FRAME; nothing stored', async (t) => {
  const ida = await inRoom(t, 'ln-ida', 'ln-room')
  await ok(ida, { action: 'sendmessage', room: 'ln-room', text: 'x'.repeat(4000) })
  await ok(ida, { action: 'sendmessage', room: 'ln-room', text: '😀'.repeat(4000) })
  const tooLong = await call(ida, { action: 'sendmessage', room: 'ln-room', text: 'x'.repeat(4001) })
  assert.deepEqual(tooLong, { type: 'error', code: 'TOO_LONG', message: 'text must be at most 4000 characters', details: { maxLength: 4000 }, ref: tooLong.ref })
  assert.equal((await call(ida, { action: 'sendmessage', room: 'ln-room', text: '😀'.repeat(4001) })).code, 'TOO_LONG')
  assert.equal((await call(ida, { action: 'sendmessage', room: 'ln-room', text: '  \n ' })).code, 'BAD_FRAME')
  assert.equal((await call(ida, { action: 'sendmessage', room: 'ln-room', text: '' })).code, 'BAD_FRAME')
  const sent = await ok(ida, { action: 'sendmessage', room: 'ln-room', text: 'short' })
  assert.equal((await call(ida, { action: 'editmessage', room: 'ln-room', id: sent.id, text: 'y'.repeat(4001) })).code, 'TOO_LONG')
  assert.deepEqual((await storedMessages('ln-room')).map((m) => [...m.text].length), [4000, 4000, 5])
})
