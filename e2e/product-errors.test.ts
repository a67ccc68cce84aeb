// Bad frames, the rate limit, stale connections and the heartbeat, end to end. Every error is a frame
// with a code; nothing is stored; the socket stays open.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { DeleteCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { budgets, budgetText } from '../src/rate-limit.ts'
import { actions } from '../src/protocol.ts'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { all, call, ok, openAs, seen, type Frame } from './product-client.ts'
import { connectAs } from './users.ts'

let emu: ChatEmulator
before(async () => {
  emu = await startChatEmulator()
})
after(() => emu.close())

const open = (t: { after: (fn: () => unknown) => void }, username: string, emulator: ChatEmulator = emu) => openAs(t, emulator, username)

async function roomItems(room: string): Promise<Record<string, any>[]> {
  const { Items = [] } = await emu.db.send(
    new QueryCommand({ TableName: 'chat', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': `ROOM#${room}` } }),
  )
  return Items
}

test('malformed, unknown and mistyped frames each get an error frame with a code; the socket stays open and nothing is stored', async (t) => {
  const uma = await open(t, 'bf-uma')
  await ok(uma, { action: 'joinroom', room: 'bf-room' })
  const itemsBefore = await roomItems('bf-room')

  uma.send('this is not json')
  const notJson = await seen(uma, (f) => f.type === 'error' && f.message === 'frame is not valid JSON')
  assert.deepEqual(notJson, { type: 'error', code: 'BAD_FRAME', message: 'frame is not valid JSON' })
  uma.send('[1,2]')
  await seen(uma, (f) => f.code === 'BAD_FRAME' && f.message === 'frame must be a JSON object')

  const unknown = await call(uma, { action: 'dance' })
  assert.deepEqual(unknown, {
    type: 'error',
    code: 'UNKNOWN_ACTION',
    message: `Unknown action "dance". Valid actions: ${actions.join(', ')}`,
    details: { validActions: [...actions] },
    ref: unknown.ref,
  })
  assert.equal((await call(uma, { text: 'no action' })).code, 'UNKNOWN_ACTION')
  assert.equal((await call(uma, { action: 'SendMessage', text: 'case matters' })).code, 'UNKNOWN_ACTION')

  const mistyped: Frame[] = [
    { action: 'joinroom' },
    { action: 'joinroom', room: 5 },
    { action: 'sendmessage', room: 'bf-room', text: 5 },
    { action: 'sendmessage', room: 'bf-room' },
    { action: 'sendmessage', room: 'bf-room', text: 'x', clientMessageId: 'has space' },
    { action: 'sendmessage', room: ['bf-room'], text: 'x' },
    { action: 'history', room: 'bf-room', limit: '5' },
    { action: 'editmessage', room: 'bf-room', id: 42, text: 'x' },
    { action: 'deletemessage', room: 'bf-room' },
    { action: 'opendirect', userId: null },
    { action: 'typing', room: { name: 'bf-room' } },
  ]
  for (const frame of mistyped) assert.equal((await call(uma, frame)).code, 'BAD_FRAME', JSON.stringify(frame))
  assert.equal((await call(uma, { action: 'sendmessage', room: 'no such room!', text: 'x' })).code, 'BAD_ROOM_NAME')
  assert.equal((await call(uma, { action: 'sendmessage', room: 'bf-other', text: 'x' })).code, 'NOT_MEMBER')
  assert.equal((await call(uma, { action: 'history', room: 'bf-other' })).code, 'NOT_MEMBER')

  // Still open, still working, and nothing was stored by any of it.
  assert.equal(uma.closeEvent, undefined)
  await ok(uma, { action: 'sendmessage', room: 'bf-room', text: 'fine' })
  const itemsAfter = await roomItems('bf-room')
  assert.deepEqual(itemsAfter.filter((i) => String(i.sk).startsWith('MSG#')).map((i) => i.text), ['fine'])
  assert.equal(itemsAfter.length, itemsBefore.length + 1)
  assert.deepEqual(await roomItems('bf-other'), [])
})

test('a ref is echoed on replies and errors; a bad ref is BAD_FRAME', async (t) => {
  const vic = await open(t, 'rf-vic')
  vic.send({ action: 'heartbeat', ref: 'abc:1' })
  const pong = await seen(vic, (f) => f.ref === 'abc:1')
  assert.equal(pong.type, 'pong')
  assert.ok(!Number.isNaN(Date.parse(pong.at)))
  vic.send({ action: 'joinroom', room: 'bad name', ref: 'abc:2' })
  assert.deepEqual(Object.keys(await seen(vic, (f) => f.ref === 'abc:2')).sort(), ['code', 'message', 'ref', 'type'])
  vic.send({ action: 'heartbeat', ref: 'x'.repeat(65) })
  await seen(vic, (f) => f.code === 'BAD_FRAME' && /ref/.test(f.message))
})

test(`the per-user rate limit (${budgetText('actions')}) answers RATE_LIMITED and stores nothing over it`, async (t) => {
  const wes = await open(t, 'rl-wes')
  const wesTab2 = await open(t, 'rl-wes')
  const xan = await open(t, 'rl-xan')
  for (const client of [wes, wesTab2, xan]) await ok(client, { action: 'joinroom', room: 'rl-room' })

  // Two tabs share one budget; sent all at once, well past a burst.
  const total = budgets.actions.burst + 40
  const replies = await Promise.all(
    Array.from({ length: total }, (_, i) => call(i % 2 ? wes : wesTab2, { action: 'sendmessage', room: 'rl-room', text: `n${i}` }, 20_000)),
  )
  const acks = replies.filter((r) => r.type === 'ack')
  const limited = replies.filter((r) => r.type === 'error')
  assert.ok(limited.length >= 1, 'some sends were limited')
  assert.ok(acks.length >= budgets.actions.burst - 3, `${acks.length} sends got through`)
  assert.equal(acks.length + limited.length, total)
  for (const error of limited) {
    assert.deepEqual(error, {
      type: 'error',
      code: 'RATE_LIMITED',
      message: `Too many actions: ${budgetText('actions')}`,
      details: { retryAfterMs: budgets.actions.intervalMs, budget: 'actions' },
      ref: error.ref,
    })
  }
  const stored = (await roomItems('rl-room')).filter((i) => String(i.sk).startsWith('MSG#'))
  assert.deepEqual(stored.map((m) => m.id).sort(), acks.map((a) => a.id).sort())
  // Another user's budget is untouched.
  await ok(xan, { action: 'sendmessage', room: 'rl-room', text: 'my turn' })
  await seen(xan, (f) => f.type === 'message' && f.text === 'my turn')
  assert.equal(all(xan, (f) => f.type === 'message').length, acks.length + 1)
})

test('a connection whose record is gone gets NOT_CONNECTED', async (t) => {
  const yan = await open(t, 'nc-yan')
  const { user } = await ok(yan, { action: 'listrooms' })
  const { Items = [] } = await emu.db.send(
    new QueryCommand({
      TableName: 'chat',
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :u',
      ExpressionAttributeValues: { ':u': `USER#${user.userId}` },
    }),
  )
  assert.equal(Items.length, 1)
  await emu.db.send(new DeleteCommand({ TableName: 'chat', Key: { pk: Items[0].pk, sk: Items[0].sk } }))
  const reply = await call(yan, { action: 'listrooms' })
  assert.deepEqual(reply, { type: 'error', code: 'NOT_CONNECTED', message: 'This connection is not registered; reconnect', ref: reply.ref })
})

test('a stale member left in the table is removed on the next send, leaves the room, and the others still receive', async (t) => {
  const zed = await open(t, 'st-zed')
  const amy = await open(t, 'st-amy')
  await ok(zed, { action: 'joinroom', room: 'st-room' })
  await ok(amy, { action: 'joinroom', room: 'st-room' })
  // A connection that vanished without $disconnect: its items stay, its socket is gone.
  const ghost = await connectAs(emu, 'st-ghost')
  await ok(ghost, { action: 'joinroom', room: 'st-room' })
  const ghostUser = (await ok(ghost, { action: 'listrooms' })).user
  // What a lost $disconnect leaves: its items and the room's count with it in.
  const ghostItems = (await roomItems('st-room')).filter((i) => i.userId === ghostUser.userId || i.sk === 'META')
  ghost.socket.terminate()
  await ghost.closed()
  // Its $disconnect already cleaned up; put the items back as a lost $disconnect would leave them.
  await seen(amy, (f) => f.type === 'presence' && f.event === 'left')
  for (const item of ghostItems) await emu.db.send(new PutCommand({ TableName: 'chat', Item: item }))

  const mark = amy.frames.length
  const sent = await ok(zed, { action: 'sendmessage', room: 'st-room', text: 'anyone?' })
  const got = await seen(amy, (f) => f.type === 'message', { since: mark })
  assert.equal(got.id, sent.id)
  const left = await seen(amy, (f) => f.type === 'presence', { since: mark })
  assert.deepEqual({ ...left, members: left.members.length }, { type: 'presence', room: 'st-room', event: 'left', user: ghostUser, memberCount: 2, members: 2, version: left.version })
  assert.deepEqual((await roomItems('st-room')).filter((i) => i.userId === ghostUser.userId), [])
})

test('heartbeat answers pong and keeps the idle timeout away, while a silent socket is closed', async (t) => {
  const short = await startChatEmulator({ limits: { idleTimeoutMs: 1500 } })
  t.after(() => short.close())
  const beating = await open(t, 'hb-beat', short)
  const silent = await open(t, 'hb-quiet', short)
  let pongs = 0
  // Beat until the silent one is closed for idling: the beating one has never been idle that long.
  while (!silent.closeEvent) {
    const pong = await ok(beating, { action: 'heartbeat' })
    assert.equal(pong.type, 'pong')
    pongs++
    await silent.closed(300).catch(() => undefined)
  }
  assert.deepEqual(silent.closeEvent, { code: 1001, reason: 'Going away' })
  assert.equal(beating.closeEvent, undefined)
  assert.ok(pongs > 1)
  await ok(beating, { action: 'heartbeat' })
})
