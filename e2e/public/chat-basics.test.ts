// The chat's core journeys through its public surfaces only (a target: e2e/public/target.ts):
// signed-in connects, chat both ways, rooms with presence and history, editing and deleting one's
// own messages, coded errors for bad frames, and connects refused without a valid token.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { all, barrier, call, ok, openAs, seen, whoIs } from '../product-client.ts'
import { HandshakeRejected, TestClient } from '../ws-client.ts'
import { startTarget, type PublicTarget } from './target.ts'

let target: PublicTarget
before(async () => {
  target = await startTarget()
})
after(() => target.close())

const open = (t: { after: (fn: () => unknown) => void }, username: string) => openAs(t, target, username)

test('two people chat both ways in the lobby with the AWS tutorial frame, with acks', async (t) => {
  const ann = await open(t, 'pub-ann')
  const ben = await open(t, 'pub-ben')
  ann.send({ action: 'sendmessage', data: 'hi ben' })
  const atBen = await seen(ben, (f) => f.type === 'message' && f.text === 'hi ben')
  assert.equal(atBen.username, 'pub-ann')
  assert.equal(atBen.room, 'lobby')
  const ack = await ok(ben, { action: 'sendmessage', text: 'hi ann', clientMessageId: 'pub-1' })
  assert.equal((await seen(ann, (f) => f.type === 'message' && f.text === 'hi ann')).id, ack.id)
})

test('a room: members see each other join and leave, its history, and edits and deletes of one’s own messages only', async (t) => {
  const cal = await open(t, 'pub-cal')
  const dee = await open(t, 'pub-dee')
  await ok(cal, { action: 'joinroom', room: 'pub-room' })
  const mark = cal.frames.length
  await ok(dee, { action: 'joinroom', room: 'pub-room' })
  const joined = await seen(cal, (f) => f.type === 'presence' && f.event === 'joined', { since: mark })
  assert.equal(joined.user.username, 'pub-dee')
  assert.equal(joined.memberCount, 2)

  const sent = await ok(cal, { action: 'sendmessage', room: 'pub-room', text: 'tpyo' })
  assert.equal((await call(dee, { action: 'editmessage', room: 'pub-room', id: sent.id, text: 'hijack' })).code, 'NOT_OWNER')
  await ok(cal, { action: 'editmessage', room: 'pub-room', id: sent.id, text: 'typo' })
  assert.equal((await seen(dee, (f) => f.type === 'edited' && f.id === sent.id)).text, 'typo')
  const history = await ok(dee, { action: 'history', room: 'pub-room' })
  assert.deepEqual(history.messages.map((m: { text: string }) => m.text), ['typo'])
  await ok(cal, { action: 'deletemessage', room: 'pub-room', id: sent.id })
  await seen(dee, (f) => f.type === 'deleted' && f.id === sent.id)

  const before = cal.frames.length
  await ok(dee, { action: 'leaveroom', room: 'pub-room' })
  const left = await seen(cal, (f) => f.type === 'presence' && f.event === 'left', { since: before })
  assert.deepEqual([left.user.userId, left.memberCount], [(await whoIs(dee)).userId, 1])
  await barrier(dee)
  assert.deepEqual(all(dee, (f) => f.type === 'message' && f.room === 'pub-room', before), [])
})

test('bad frames get coded errors, and the socket stays open', async (t) => {
  const eve = await open(t, 'pub-eve')
  eve.send('not json')
  assert.equal((await seen(eve, (f) => f.type === 'error')).code, 'BAD_FRAME')
  assert.equal((await call(eve, { action: 'dance' })).code, 'UNKNOWN_ACTION')
  assert.equal((await call(eve, { action: 'joinroom', room: 'no spaces' })).code, 'BAD_ROOM_NAME')
  assert.equal((await call(eve, { action: 'sendmessage', room: 'pub-room-x', text: 'x'.repeat(4001) })).code, 'TOO_LONG')
  await ok(eve, { action: 'heartbeat' })
})

test('a connect without a valid Cognito token is refused with 401', async () => {
  for (const url of [target.url, `${target.url}?token=not-a-jwt`, `${target.url}?token=${'eyJ' + 'a'.repeat(40)}.e30.sig`]) {
    const refused = await TestClient.connect(url).then(
      () => assert.fail(`connected to ${url}`),
      (error: unknown) => error,
    )
    assert.ok(refused instanceof HandshakeRejected, String(refused))
    assert.equal(refused.status, 401)
  }
})
