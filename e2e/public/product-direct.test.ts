// Direct messages and typing, end to end.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTarget, type PublicTarget } from './target.ts'
import { all, barrier, call, ok, openAs, seen, whoIs } from '../product-client.ts'

let emu: PublicTarget
before(async () => {
  emu = await startTarget()
})
after(() => emu.close())

const open = (t: { after: (fn: () => unknown) => void }, username: string) => openAs(t, emu, username)

test('a direct message reaches every tab of both users and no one else, and both see the conversation listed', async (t) => {
  const kim1 = await open(t, 'dm-kim')
  const kim2 = await open(t, 'dm-kim')
  const lou = await open(t, 'dm-lou')
  const max = await open(t, 'dm-max')
  const kim = await whoIs(kim1)
  const louUser = await whoIs(lou)

  const opened = await ok(kim1, { action: 'opendirect', userId: louUser.userId })
  assert.deepEqual(opened, { type: 'direct', room: opened.room, userId: louUser.userId, username: 'dm-lou', ref: opened.ref })
  const fromLou = await ok(lou, { action: 'opendirect', userId: kim.userId })
  assert.equal(fromLou.room, opened.room)
  assert.match(opened.room, /^dm:/)

  const ack = await ok(kim1, { action: 'sendmessage', room: opened.room, text: 'psst' })
  for (const client of [kim1, kim2, lou]) {
    const got = await seen(client, (f) => f.type === 'message')
    assert.deepEqual(got, { type: 'message', room: opened.room, id: ack.id, userId: kim.userId, username: 'dm-kim', text: 'psst', sentAt: ack.sentAt })
  }
  await ok(lou, { action: 'sendmessage', room: opened.room, text: 'hi back' })
  await seen(kim2, (f) => f.type === 'message' && f.text === 'hi back')
  await barrier(max)
  assert.deepEqual(all(max, (f) => f.type === 'message'), [])

  const kimList = await ok(kim2, { action: 'listdirects' })
  assert.deepEqual(kimList.directs.map((d: Record<string, string>) => [d.room, d.userId, d.username]), [[opened.room, louUser.userId, 'dm-lou']])
  const louList = await ok(lou, { action: 'listdirects' })
  assert.deepEqual(louList.directs.map((d: Record<string, string>) => [d.room, d.userId, d.username]), [[opened.room, kim.userId, 'dm-kim']])
  const rooms = await ok(kim2, { action: 'listrooms' })
  assert.deepEqual(rooms.rooms.filter((r: { room: string }) => r.room.startsWith('dm:')), [])

  const history = await ok(lou, { action: 'history', room: opened.room })
  assert.deepEqual(history.messages.map((m: Record<string, string>) => m.text), ['hi back', 'psst'])
})

test('someone outside a direct conversation gets NOT_MEMBER for it; unknown users and yourself cannot be opened', async (t) => {
  const ned = await open(t, 'dx-ned')
  const ola = await open(t, 'dx-ola')
  const pip = await open(t, 'dx-pip')
  const olaUser = await whoIs(ola)
  const { room } = await ok(ned, { action: 'opendirect', userId: olaUser.userId })
  const sent = await ok(ned, { action: 'sendmessage', room, text: 'private' })

  for (const frame of [
    { action: 'sendmessage', room, text: 'let me in' },
    { action: 'history', room },
    { action: 'typing', room },
    { action: 'editmessage', room, id: sent.id, text: 'x' },
    { action: 'deletemessage', room, id: sent.id },
  ]) {
    assert.equal((await call(pip, frame)).code, 'NOT_MEMBER', frame.action)
  }
  await barrier(pip)
  assert.deepEqual(all(pip, (f) => f.type === 'message'), [])

  const unknown = await call(ned, { action: 'opendirect', userId: 'no-such-user' })
  assert.deepEqual(unknown, { type: 'error', code: 'USER_NOT_FOUND', message: 'No such user', details: { userId: 'no-such-user' }, ref: unknown.ref })
  const me = await whoIs(ned)
  assert.equal((await call(ned, { action: 'opendirect', userId: me.userId })).code, 'BAD_FRAME')
  for (const bad of ['dm:', 'dm:a', 'dm:b:a', 'dm:a:a', 'dm:a:b:c', 'dm:%zz:b']) {
    assert.equal((await call(ned, { action: 'history', room: bad })).code, 'BAD_ROOM_NAME', bad)
  }
})

test('typing reaches the other users in the room but not the typist, is throttled, and is never stored', async (t) => {
  const quinn = await open(t, 'ty-quinn')
  const quinnTab2 = await open(t, 'ty-quinn')
  const rae = await open(t, 'ty-rae')
  for (const client of [quinn, quinnTab2, rae]) await ok(client, { action: 'joinroom', room: 'ty-room' })
  const quinnUser = await whoIs(quinn)

  const first = await ok(quinn, { action: 'typing', room: 'ty-room' })
  assert.deepEqual(first, { type: 'ack', action: 'typing', room: 'ty-room', throttled: false, ref: first.ref })
  const atRae = await seen(rae, (f) => f.type === 'typing')
  assert.deepEqual(atRae, { type: 'typing', room: 'ty-room', user: quinnUser })
  const second = await ok(quinn, { action: 'typing', room: 'ty-room' })
  assert.equal(second.throttled, true)
  await barrier(rae)
  await barrier(quinnTab2)
  assert.equal(all(rae, (f) => f.type === 'typing').length, 1)
  assert.deepEqual(all(quinnTab2, (f) => f.type === 'typing'), [])

  const history = await ok(rae, { action: 'history', room: 'ty-room' })
  assert.deepEqual(history.messages, [])
  const outsider = await open(t, 'ty-out')
  assert.equal((await call(outsider, { action: 'typing', room: 'ty-room' })).code, 'NOT_MEMBER')
})

test('typing in a direct conversation reaches only the other user', async (t) => {
  const sam = await open(t, 'dt-sam')
  const tia = await open(t, 'dt-tia')
  const tiaUser = await whoIs(tia)
  const { room } = await ok(sam, { action: 'opendirect', userId: tiaUser.userId })
  await ok(sam, { action: 'typing', room })
  const got = await seen(tia, (f) => f.type === 'typing')
  assert.deepEqual(got, { type: 'typing', room, user: await whoIs(sam) })
})
