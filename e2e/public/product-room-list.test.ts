// The room list follows the account and grows live: the rooms a user joined come back with the first
// `listrooms` page on any connection (another tab, another browser) until the user leaves them, and
// a room someone creates is told to every other connection (`roomcreated`), not to its creator.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startTarget, type PublicTarget } from './target.ts'
import { all, barrier, ok, openAs, seen, whoIs } from '../product-client.ts'

let emu: PublicTarget
before(async () => {
  emu = await startTarget()
})
after(() => emu.close())

const open = (t: { after: (fn: () => unknown) => void }, username: string) => openAs(t, emu, username)

test('the rooms a user joined come with the first listrooms page on any of their connections, until they leave', async (t) => {
  const here = await open(t, 'rl-ann')
  await ok(here, { action: 'joinroom', room: 'rl-one' })
  await ok(here, { action: 'joinroom', room: 'rl-two' })
  // Another browser of the same account, and someone else.
  const elsewhere = await open(t, 'rl-ann')
  const bob = await open(t, 'rl-bob')
  assert.deepEqual((await ok(elsewhere, { action: 'listrooms' })).joined, ['rl-two', 'rl-one'])
  assert.deepEqual((await ok(bob, { action: 'listrooms' })).joined, [])

  // That page joins them again (as the page does), and leaves one.
  await ok(elsewhere, { action: 'joinroom', room: 'rl-one' })
  await ok(elsewhere, { action: 'leaveroom', room: 'rl-one' })
  assert.deepEqual((await ok(here, { action: 'listrooms' })).joined, ['rl-two'])
  assert.deepEqual((await ok(elsewhere, { action: 'listrooms' })).joined, ['rl-two'])
  // The lobby, where every connection starts, is nobody's to keep.
  await ok(here, { action: 'joinroom', room: 'lobby' })
  assert.deepEqual((await ok(here, { action: 'listrooms' })).joined, ['rl-two'])
  // Later pages carry no `joined`.
  const first = await ok(here, { action: 'listrooms', limit: 1 })
  assert.ok(first.cursor, 'more rooms than one')
  const next = await ok(here, { action: 'listrooms', limit: 1, cursor: first.cursor })
  assert.equal('joined' in next, false)
})

test('a new room is told to every other connection, once; joining a room that exists tells nobody', async (t) => {
  const creator = await open(t, 'rl-cat')
  const creatorTab = await open(t, 'rl-cat')
  const dan = await open(t, 'rl-dan')
  const cat = await whoIs(creator)
  const mark = dan.frames.length
  await ok(creator, { action: 'joinroom', room: 'rl-new' })
  const told = await seen(dan, (f) => f.type === 'roomcreated', { since: mark })
  assert.deepEqual(told, { type: 'roomcreated', room: 'rl-new', memberCount: 1, lastActivityAt: told.lastActivityAt, createdBy: cat })
  assert.ok(!Number.isNaN(Date.parse(told.lastActivityAt)))
  // The creator's other tab hears of it too; the creating connection has its reply instead.
  await seen(creatorTab, (f) => f.type === 'roomcreated' && f.room === 'rl-new')
  await ok(dan, { action: 'joinroom', room: 'rl-new' })
  await ok(creatorTab, { action: 'joinroom', room: 'rl-new' })
  await Promise.all([barrier(creator), barrier(dan), barrier(creatorTab)])
  for (const client of [creator, dan, creatorTab]) {
    assert.equal(all(client, (f) => f.type === 'roomcreated' && f.room === 'rl-new').length, client === creator ? 0 : 1)
  }
})
