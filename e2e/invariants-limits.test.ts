// Issue 10, "nobody spends anyone else's budget", "every frame gets a protocol answer" and "lists are
// complete and fair" (src/protocol.md).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { all, barrier, call, ok, openAs, type Frame } from './product-client.ts'
import type { TestClient } from './ws-client.ts'

let emu: ChatEmulator
before(async () => {
  emu = await startChatEmulator()
})
after(() => emu.close())

type T = { after: (fn: () => unknown) => void }

test('a history window whose after is not older than its before is BAD_FRAME, not an internal error', async (t) => {
  const ann = await openAs(t, emu, 'lm-ann')
  await ok(ann, { action: 'joinroom', room: 'lm-window' })
  const id = (await ok(ann, { action: 'sendmessage', room: 'lm-window', text: 'x' })).id
  for (const [after, before] of [
    [id, id],
    ['01ZZZZZZZZZZZZZZZZZZZZZZZZ', '01AAAAAAAAAAAAAAAAAAAAAAAA'],
  ]) {
    const reply = await call(ann, { action: 'history', room: 'lm-window', after, before })
    assert.deepEqual(reply, { type: 'error', code: 'BAD_FRAME', message: 'after must be an older message id than before', ref: reply.ref })
  }
  for (const bad of [{ cursor: 'nope' }, { cursor: '2026-01-01T00:00:00.000Z#has space' }, { limit: 0 }, { limit: 101 }, { limit: 'ten' }]) {
    const reply = await call(ann, { action: 'listrooms', ...bad })
    assert.equal(reply.code, 'BAD_FRAME', JSON.stringify(bad))
  }
})

test('a connection flooding past its limit is refused, then closed through @connections; everyone else goes on', async (t) => {
  const flooder = await openAs(t, emu, 'lm-flood')
  const bystander = await openAs(t, emu, 'lm-calm')
  // One request after another, as fast as answers come: each lands on the same warm sandbox, whose
  // limiter counts them (a burst sent all at once spreads over several sandboxes, as on Lambda, and
  // is bounded by the function's reserved concurrency times its burst instead: src/protocol.md).
  for (let i = 0; i < 200; i++) {
    const reply = await call(flooder, { action: 'heartbeat' })
    if (reply.details?.disconnected === true) break
  }
  // DeleteConnection closes with 1000 (spec §7.7).
  assert.equal((await flooder.closed(10_000)).code, 1000)
  const refused = all(flooder, (f) => f.code === 'RATE_LIMITED')
  assert.ok(refused.length >= 1)
  assert.ok(refused.some((f) => f.details?.disconnected === true))
  assert.equal((await ok(bystander, { action: 'heartbeat' })).type, 'pong')
})

test('what the page does after a reconnect (re-join every room, catch up on each, two tabs at once) never meets a limit', async (t) => {
  // 100 rooms (the lobby, where every connection listens, does not count), created by several
  // users: each may create 10 at once.
  const rooms = Array.from({ length: 100 }, (_, i) => `lm-r${i}`)
  for (let u = 0; u < 10; u++) {
    const creator = await openAs(t, emu, `lm-maker${u}`)
    await Promise.all(rooms.filter((_, i) => i % 10 === u).map((room) => ok(creator, { action: 'joinroom', room }, 20_000)))
  }
  // As the page does (src/web/sync.js resume): 8 requests in flight at a time.
  const eightAtATime = async (task: (room: string) => Promise<Frame>) => {
    const replies: Frame[] = []
    let next = 0
    await Promise.all(Array.from({ length: 8 }, async () => {
      while (next < rooms.length) replies.push(await task(rooms[next++]))
    }))
    return replies
  }
  const rejoin = async (tab: TestClient) => [
    await call(tab, { action: 'listrooms', limit: 20 }),
    await call(tab, { action: 'listdirects', limit: 20 }),
    ...(await eightAtATime((room) => call(tab, { action: 'joinroom', room }, 30_000))),
    ...(await eightAtATime((room) => call(tab, { action: 'history', room, limit: 100 }, 30_000))),
  ]
  const tabs = [await openAs(t, emu, 'lm-back'), await openAs(t, emu, 'lm-back')]
  const replies = (await Promise.all(tabs.map(rejoin))).flat()
  assert.deepEqual(replies.filter((r) => r.type === 'error'), [])
  // The 101st room is one too many for a connection.
  const more = await call(tabs[0], { action: 'joinroom', room: 'lm-r0-more' })
  assert.equal(more.code, 'TOO_MANY_ROOMS')
})

test('creating rooms is limited per user: 10 at once', async (t) => {
  const maker = await openAs(t, emu, 'lm-creator')
  const replies = await Promise.all(Array.from({ length: 12 }, (_, i) => call(maker, { action: 'joinroom', room: `lm-new${i}` })))
  assert.equal(replies.filter((r) => r.type === 'room').length, 10)
  assert.deepEqual(
    replies.filter((r) => r.type === 'error').map((r) => [r.code, r.details?.budget]),
    [
      ['RATE_LIMITED', 'creates'],
      ['RATE_LIMITED', 'creates'],
    ],
  )
})

async function everyPage(client: TestClient, action: 'listrooms' | 'listdirects', limit: number): Promise<Frame[]> {
  const items: Frame[] = []
  let cursor: string | undefined
  do {
    let page = await call(client, { action, limit, ...(cursor ? { cursor } : {}) })
    // Paging through every room of the shared emulator can meet the listing limit: wait as long as
    // the server asks, as the page does.
    while (page.code === 'RATE_LIMITED') {
      await new Promise((resolve) => setTimeout(resolve, page.details.retryAfterMs))
      page = await call(client, { action, limit, ...(cursor ? { cursor } : {}) })
    }
    assert.notEqual(page.type, 'error', JSON.stringify(page))
    items.push(...(action === 'listrooms' ? page.rooms : page.directs))
    cursor = page.cursor ?? undefined
  } while (cursor)
  return items
}

test('rooms are listed most recently active first, page by page, none left out; an idle room leaves the list', async (t: T) => {
  const lister = await openAs(t, emu, 'lm-lister')
  const names = Array.from({ length: 7 }, (_, i) => `lm-list${i}`)
  for (const room of names) await ok(lister, { action: 'joinroom', room })
  // Joining again is activity: lm-list2 moves to the top.
  await ok(lister, { action: 'leaveroom', room: 'lm-list2' })
  await ok(lister, { action: 'joinroom', room: 'lm-list2' })
  const listed = (await everyPage(lister, 'listrooms', 3)).map((r) => r.room as string).filter((room) => names.includes(room))
  assert.deepEqual(listed, ['lm-list2', 'lm-list6', 'lm-list5', 'lm-list4', 'lm-list3', 'lm-list1', 'lm-list0'])
  // Eight days later, TTL has taken every room nobody touched (their history stays).
  await emu.sweepExpiredItems({ asOf: Date.now() + 8 * 24 * 3600_000 })
  const later = await openAs(t, emu, 'lm-lister')
  assert.deepEqual((await everyPage(later, 'listrooms', 50)).filter((r) => names.includes(r.room)), [])
})

test('direct conversations are listed most recent first, page by page', async (t) => {
  const me = await openAs(t, emu, 'lm-dm-me')
  const peers = await Promise.all([0, 1, 2, 3].map((i) => openAs(t, emu, `lm-dm-peer${i}`)))
  const peerIds: string[] = []
  for (const peer of peers) peerIds.push((await ok(peer, { action: 'listrooms' })).user.userId)
  for (const userId of [...peerIds, peerIds[1]]) {
    const { room } = await ok(me, { action: 'opendirect', userId })
    await ok(me, { action: 'sendmessage', room, text: 'hi' })
  }
  await barrier(me)
  const listed = await everyPage(me, 'listdirects', 2)
  assert.deepEqual(
    listed.map((d) => d.username),
    ['lm-dm-peer1', 'lm-dm-peer3', 'lm-dm-peer2', 'lm-dm-peer0'],
  )
})
