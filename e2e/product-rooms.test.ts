// Rooms and presence, end to end: several users, tabs and rooms against one emulator per file.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { all, barrier, call, ok, openAs, seen, whoIs, type Frame } from './product-client.ts'
import type { TestClient } from './ws-client.ts'

let emu: ChatEmulator
before(async () => {
  emu = await startChatEmulator()
})
after(() => emu.close())

const open = (t: { after: (fn: () => unknown) => void }, username: string) => openAs(t, emu, username)
/** A room's entry in a listrooms reply, without its activity time. */
const summary = (listed: Frame, room: string) => {
  const { lastActivityAt, ...rest } = listed.rooms.find((r: { room: string }) => r.room === room)
  assert.ok(!Number.isNaN(Date.parse(lastActivityAt)))
  return rest
}
const byName = (...users: { username: string }[]) => [...users].sort((a, b) => a.username.localeCompare(b.username))


test('joinroom creates the room, lists the online members, and counts a user with two tabs once', async (t) => {
  const alice1 = await open(t, 'ro-alice')
  const alice2 = await open(t, 'ro-alice')
  const bob = await open(t, 'ro-bob')
  const alice = await whoIs(alice1)
  const bobUser = await whoIs(bob)

  const first = await ok(alice1, { action: 'joinroom', room: 'ro-general' })
  assert.deepEqual(first, { type: 'room', room: 'ro-general', memberCount: 1, members: [alice], version: 1, ref: first.ref })
  await ok(alice2, { action: 'joinroom', room: 'ro-general' })
  const third = await ok(bob, { action: 'joinroom', room: 'ro-general' })
  assert.deepEqual(third.members, [alice, bobUser])
  assert.equal(third.memberCount, 2)

  const listed = await ok(bob, { action: 'listrooms' })
  assert.deepEqual(summary(listed, 'ro-general'), { room: 'ro-general', memberCount: 2 })
})

test('others see a user join on their first tab and leave with their last; a second tab changes nothing', async (t) => {
  const watcher = await open(t, 'pr-watch')
  await ok(watcher, { action: 'joinroom', room: 'pr-room' })
  const tab1 = await open(t, 'pr-carol')
  const tab2 = await open(t, 'pr-carol')
  const carol = await whoIs(tab1)
  const watcherUser = await whoIs(watcher)

  const mark = watcher.frames.length
  await ok(tab1, { action: 'joinroom', room: 'pr-room' })
  const joined = await seen(watcher, (f) => f.type === 'presence', { since: mark })
  assert.deepEqual(joined, { type: 'presence', room: 'pr-room', event: 'joined', user: carol, memberCount: 2, members: byName(carol, watcherUser), version: joined.version })
  await ok(tab2, { action: 'joinroom', room: 'pr-room' })
  await tab1.close()
  await barrier(watcher)
  // The second tab's join and the first tab's close are not news: carol is still there.
  const roomNow = await ok(watcher, { action: 'joinroom', room: 'pr-room' })
  assert.deepEqual(roomNow.members.map((m: { username: string }) => m.username), ['pr-carol', 'pr-watch'])
  assert.equal(all(watcher, (f) => f.type === 'presence', mark).length, 1)

  await tab2.close()
  const left = await seen(watcher, (f) => f.type === 'presence' && f.event === 'left', { since: mark })
  assert.deepEqual(left, { type: 'presence', room: 'pr-room', event: 'left', user: carol, memberCount: 1, members: [watcherUser], version: left.version })
  assert.ok(left.version > joined.version)
  const listed = await ok(watcher, { action: 'listrooms' })
  assert.deepEqual(summary(listed, 'pr-room'), { room: 'pr-room', memberCount: 1 })
})

test('leaveroom tells the others, stops delivery, and a second leave is NOT_MEMBER', async (t) => {
  const dave = await open(t, 'lv-dave')
  const erin = await open(t, 'lv-erin')
  await ok(dave, { action: 'joinroom', room: 'lv-room' })
  await ok(erin, { action: 'joinroom', room: 'lv-room' })
  const daveUser = await whoIs(dave)

  const mark = erin.frames.length
  const ack = await ok(dave, { action: 'leaveroom', room: 'lv-room' })
  assert.deepEqual(ack, { type: 'ack', action: 'leaveroom', room: 'lv-room', ref: ack.ref })
  const left = await seen(erin, (f) => f.type === 'presence', { since: mark })
  assert.deepEqual(left, { type: 'presence', room: 'lv-room', event: 'left', user: daveUser, memberCount: 1, members: [await whoIs(erin)], version: left.version })

  const again = await call(dave, { action: 'leaveroom', room: 'lv-room' })
  assert.equal(again.code, 'NOT_MEMBER')
  const send = await call(dave, { action: 'sendmessage', room: 'lv-room', text: 'still here?' })
  assert.equal(send.code, 'NOT_MEMBER')
  await ok(erin, { action: 'sendmessage', room: 'lv-room', text: 'only me' })
  await barrier(dave)
  assert.deepEqual(all(dave, (f) => f.type === 'message' && f.room === 'lv-room'), [])
})

test('a connection in several rooms gets each room only its own messages; the tutorial frame goes to the last room joined', async (t) => {
  const fay = await open(t, 'mr-fay')
  const gus = await open(t, 'mr-gus')
  const hal = await open(t, 'mr-hal')
  await ok(fay, { action: 'joinroom', room: 'mr-red' })
  await ok(fay, { action: 'joinroom', room: 'mr-blue' })
  await ok(gus, { action: 'joinroom', room: 'mr-red' })
  await ok(hal, { action: 'joinroom', room: 'mr-blue' })

  await ok(gus, { action: 'sendmessage', room: 'mr-red', text: 'red one' })
  await ok(hal, { action: 'sendmessage', room: 'mr-blue', text: 'blue one' })
  // The AWS tutorial frame: fay's current room is the last she joined.
  await ok(fay, { action: 'sendmessage', data: 'tutorial style' })
  for (const client of [fay, gus, hal]) await barrier(client)

  const texts = (client: TestClient) => all(client, (f) => f.type === 'message').map((f) => `${f.room}:${f.text}`).sort()
  assert.deepEqual(texts(fay), ['mr-blue:blue one', 'mr-blue:tutorial style', 'mr-red:red one'])
  assert.deepEqual(texts(gus), ['mr-red:red one'])
  assert.deepEqual(texts(hal), ['mr-blue:blue one', 'mr-blue:tutorial style'])
})

test('a bad room name is BAD_ROOM_NAME and creates nothing', async (t) => {
  const ivy = await open(t, 'bn-ivy')
  for (const room of ['', 'has space', 'x'.repeat(65), 'dm:a:b', 'émoji', 'a/b']) {
    const reply = await call(ivy, { action: 'joinroom', room })
    assert.equal(reply.code, 'BAD_ROOM_NAME', `room ${JSON.stringify(room)}`)
  }
  const okName = 'A-z_09'.padEnd(64, 'x')
  await ok(ivy, { action: 'joinroom', room: okName })
  const listed = await ok(ivy, { action: 'listrooms' })
  const names = listed.rooms.map((r: { room: string }) => r.room)
  assert.ok(names.includes(okName))
  assert.deepEqual(names.filter((n: string) => n.includes(' ') || n.startsWith('dm:') || n.length > 64 || n === ''), [])
})

test('closing the last tab removes its room items and tells the room; the count goes back down', async (t) => {
  const jo = await open(t, 'cl-jo')
  const watcher = await open(t, 'cl-watch')
  const joUser = await whoIs(jo)
  const watcherUser = await whoIs(watcher)
  await ok(jo, { action: 'joinroom', room: 'cl-room' })
  await ok(watcher, { action: 'joinroom', room: 'cl-room' })
  const mark = watcher.frames.length
  await jo.close()
  // $disconnect runs after the close; its presence event says it is done.
  const left = await seen(watcher, (f) => f.type === 'presence', { since: mark })
  assert.deepEqual(left, { type: 'presence', room: 'cl-room', event: 'left', user: joUser, memberCount: 1, members: [watcherUser], version: left.version })

  const { Items = [] } = await emu.db.send(
    new QueryCommand({ TableName: 'chat', KeyConditionExpression: 'pk = :p', ExpressionAttributeValues: { ':p': 'ROOM#cl-room' } }),
  )
  const kinds = Items.map((i) => (String(i.sk).startsWith('CONN#') ? `CONN#${i.userId}` : i.sk)).sort()
  assert.deepEqual(kinds, [`CONN#${watcherUser.userId}`, 'META'])
  const listed = await ok(watcher, { action: 'listrooms' })
  assert.deepEqual(summary(listed, 'cl-room'), { room: 'cl-room', memberCount: 1 })
})
