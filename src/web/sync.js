// Keeps the page's conversations in step with the server: the room list (paged, refreshed, grown by
// `roomcreated`), joins (a connection's rooms are per connection, so every reconnect joins again the
// rooms the account keeps), history on scroll, catch-up of what was missed while away, unread
// counts, sends with retries (src/protocol.md, "What a client is guaranteed").

import { roomList, roomsPage } from './room-list.js'

const pageSize = 50
const catchUpPage = 100
/** The server's limit of rooms per connection (src/action-limits.ts): more are not re-joined. */
const maxRooms = 100
/**
 * Answers after which a send is tried again by itself, with the same clientMessageId (exactly once on
 * the server). Others (a refusal, a rate limit, being offline for long) leave it "not sent", with
 * Retry: the person decides, nothing is lost.
 */
const retriable = new Set(['TIMEOUT', 'INCOMPLETE', 'IN_PROGRESS'])
const sendAttempts = 5
/** Offline at send time: how long to wait for the socket to come back before calling it not sent. */
const offlineWaitMs = 3000
/** Below every message id: "complete from the beginning" (an empty history is complete). */
const beginning = '0'.repeat(26)
/** Requests a reconnect has in flight at once (re-joins, catch-ups): gentle on the server's limits. */
const resumeConcurrency = 8

/** Runs `task` over `items`, at most `limit` at a time. */
async function bounded(items, limit, task) {
  let next = 0
  const worker = async () => {
    while (next < items.length) await task(items[next++])
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/**
 * @param {{ state: import('./chat-state.js').ChatState, socket: () => import('./chat-socket.js').ChatSocket,
 *   places: () => any, remember: () => void, render: () => void, notify: (error: any) => void }} deps
 */
export function syncConversations({ state, socket, places, remember, render, notify }) {
  const loading = new Set()
  const rooms = roomList({ state, socket, render, notify })

  /** The first page of rooms and of direct conversations; the reply says who we are and which rooms the account keeps. */
  async function start() {
    // The most recently active rooms and conversations: a room's count costs a read, so 20 of each.
    const [reply, directs] = await Promise.all([socket().call({ action: 'listrooms', limit: roomsPage }), socket().call({ action: 'listdirects', limit: 20 })])
    state.user = reply.user
    rooms.listed(reply)
    for (const d of directs.directs) state.setPeer(d.room, { userId: d.userId, username: d.username })
    render()
    return reply
  }


  /** After every (re)connect: join the remembered rooms again, then catch up everywhere. */
  async function resume() {
    const p = places()
    state.resetPresence()
    if (p.joined.length > maxRooms) p.joined = p.joined.slice(-maxRooms)
    await bounded(p.joined, resumeConcurrency, (room) => join(room, { quiet: true }))
    await bounded([...state.conversations.values()].filter((c) => c.joined), resumeConcurrency, (c) => {
      if (c.loaded) return catchUp(c.id)
      if (c.id === (state.active ?? p.active)) return loadOlder(c.id)
      return p.lastRead[c.id] ? countUnread(c.id, p.lastRead[c.id]) : undefined
    })
    render()
  }

  /** Joins in flight, by room: a send to the room waits for its join (else it is NOT_MEMBER). */
  const joining = new Map()

  function join(room, options) {
    const pending = joining.get(room) ?? joinNow(room, options).finally(() => joining.delete(room))
    joining.set(room, pending)
    return pending
  }

  async function joinNow(room, { quiet = false } = {}) {
    try {
      const reply = await socket().call({ action: 'joinroom', room })
      const c = state.conversation(room)
      c.joined = true
      state.setMembers(room, reply.members, reply.version)
      const p = places()
      if (!p.joined.includes(room)) p.joined = [...p.joined, room].slice(-maxRooms)
      remember()
      render()
      if (!c.loaded && room === state.active) await loadOlder(room)
      return true
    } catch (error) {
      if (!quiet || error.code !== 'OFFLINE') notify(error)
      // A room the server refuses (bad name) is forgotten; a connection problem is not.
      if (error.code === 'BAD_ROOM_NAME') forget(room)
      return false
    }
  }

  async function leave(room) {
    // Every connection listens in the lobby (protocol.md): there is nothing to leave.
    if (room === 'lobby') return false
    try {
      await socket().call({ action: 'leaveroom', room })
    } catch (error) {
      if (error.code !== 'NOT_MEMBER') {
        notify(error)
        return false
      }
    }
    const c = state.conversation(room)
    c.joined = false
    c.members.clear()
    forget(room)
    render()
    return true
  }

  function forget(room) {
    const p = places()
    p.joined = p.joined.filter((r) => r !== room)
    remember()
  }

  /** One page of older history (also the first page of a conversation). */
  async function loadOlder(id) {
    if (!id) return
    const c = state.conversation(id)
    if ((c.loaded && !c.hasOlder) || loading.has(id)) return
    loading.add(id)
    try {
      const before = state.oldestId(id)
      const reply = await socket().call({ action: 'history', room: id, limit: pageSize, ...(before ? { before } : {}) })
      state.addMessages(id, reply.messages)
      // The first page, read after joining: everything newer arrives live from here on.
      if (!before) state.completeUpTo(id, reply.messages[0]?.id ?? beginning)
      c.hasOlder = reply.cursor !== null
      c.loaded = true
      render()
    } catch (error) {
      if (error.code !== 'OFFLINE') notify(error)
    } finally {
      loading.delete(id)
    }
  }

  /**
   * Everything after the last point known to be complete, newest first, page by page until the
   * cursor ends: messages that arrived live meanwhile say nothing of what is missing before them.
   * Read after re-joining, so what is newer than the first page arrives live; the first page's
   * newest message becomes the new complete point only once every page is in.
   */
  async function catchUp(id) {
    const c = state.conversation(id)
    const after = c.complete
    if (!after) return loadOlder(id)
    let before
    let newest
    for (;;) {
      const reply = await socket().call({ action: 'history', room: id, after, limit: catchUpPage, ...(before ? { before } : {}) }).catch(() => undefined)
      if (!reply) return
      newest ??= reply.messages[0]?.id ?? after
      const added = reply.messages.filter((m) => !c.messages.has(m.id))
      state.addMessages(id, reply.messages)
      if (id !== state.active) c.unread += added.filter((m) => m.userId !== state.user?.userId).length
      if (reply.cursor === null) break
      before = reply.cursor
    }
    state.completeUpTo(id, newest)
    render()
  }

  /** After a reload: how many messages arrived in a room since the last one read here. */
  async function countUnread(id, lastRead) {
    const reply = await socket().call({ action: 'history', room: id, after: lastRead, limit: catchUpPage }).catch(() => undefined)
    if (!reply) return
    state.conversation(id).unread = reply.messages.filter((m) => m.userId !== state.user?.userId).length
  }

  function received(message) {
    const known = state.conversations.has(message.room)
    state.addMessages(message.room, [message])
    const c = state.conversation(message.room)
    // One's own message, stored: its "sending" copy goes (the ack may come a moment later).
    if (message.userId === state.user?.userId) {
      const sent = [...c.pending.values()].find((p) => p.text === message.text && p.status === 'sending')
      if (sent) c.pending.delete(sent.clientMessageId)
    }
    // A direct conversation started from another of our tabs: ask who it is with.
    if (!known && c.kind === 'direct' && !c.peer) void start().catch(() => {})
    if (message.room === state.active && document.visibilityState !== 'hidden') {
      places().lastRead[message.room] = message.id
      remember()
    } else if (message.userId !== state.user?.userId) c.unread++
    render()
  }

  /**
   * Sends with a clientMessageId, and tries again with the same one until the server acknowledges
   * it: it stores the message once and finishes a delivery an earlier attempt left incomplete. In
   * the order typed: the next send goes once the previous one is answered.
   */
  /** One send at a time: API Gateway runs a connection's frames concurrently, ids follow the server's clock. */
  let sending = Promise.resolve()

  /** `clientMessageId` is the send's for good: a retry (by itself or by the person) reuses it. */
  function send(room, text, clientMessageId) {
    const next = sending.then(() => sendNow(room, text, clientMessageId))
    sending = next.catch(() => {})
    return next
  }

  async function sendNow(room, text, clientMessageId) {
    const frame = { action: 'sendmessage', room, text, clientMessageId }
    await joining.get(room)
    // Offline at first: the socket reconnects by itself; give it a moment.
    if (!socket()?.online) await socket()?.opened?.(offlineWaitMs)
    for (let attempt = 1; ; attempt++) {
      try {
        return await socket().call(frame)
      } catch (error) {
        if (!retriable.has(error.code) || attempt >= sendAttempts) throw error
        await new Promise((resolve) => setTimeout(resolve, Math.min(250 * 2 ** attempt, 5000)))
      }
    }
  }

  return { start, resume, join, leave, loadOlder, catchUp, received, send, rooms }
}
