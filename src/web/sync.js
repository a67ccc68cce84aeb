// Keeps the page's conversations in step with the server: the room list, joins (a connection's
// rooms are per connection, so every reconnect joins again), history on scroll, catch-up of what
// was missed while away (history after the last id seen), unread counts, sends with retries.

const pageSize = 50
const catchUpPage = 100

/**
 * @param {{ state: import('./chat-state.js').ChatState, socket: () => import('./chat-socket.js').ChatSocket,
 *   places: () => any, remember: () => void, render: () => void, notify: (error: any) => void }} deps
 */
export function syncConversations({ state, socket, places, remember, render, notify }) {
  const loading = new Set()

  async function start() {
    const reply = await socket().call({ action: 'listrooms' })
    state.user = reply.user
    for (const room of reply.rooms) state.conversation(room.room).memberCount = room.memberCount
    for (const d of reply.directs) state.setPeer(d.room, { userId: d.userId, username: d.username })
    render()
    return reply.user
  }

  /** After every (re)connect: join the remembered rooms again, then catch up everywhere. */
  async function resume() {
    const p = places()
    await Promise.all(p.joined.map((room) => join(room, { quiet: true })))
    const work = [...state.conversations.values()]
      .filter((c) => c.joined)
      .map((c) => {
        if (c.loaded) return catchUp(c.id)
        if (c.id === (state.active ?? p.active)) return loadOlder(c.id)
        return p.lastRead[c.id] ? countUnread(c.id, p.lastRead[c.id]) : undefined
      })
    await Promise.all(work)
    render()
  }

  async function join(room, { quiet = false } = {}) {
    try {
      const reply = await socket().call({ action: 'joinroom', room })
      const c = state.conversation(room)
      c.joined = true
      state.setMembers(room, reply.members)
      const p = places()
      if (!p.joined.includes(room)) p.joined.push(room)
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
      c.hasOlder = reply.cursor !== null
      c.loaded = true
      render()
    } catch (error) {
      if (error.code !== 'OFFLINE') notify(error)
    } finally {
      loading.delete(id)
    }
  }

  /** Everything after the newest message we have, newest first, page by page. */
  async function catchUp(id) {
    const after = state.newestId(id)
    if (!after) return loadOlder(id)
    let before
    for (;;) {
      const reply = await socket().call({ action: 'history', room: id, after, limit: catchUpPage, ...(before ? { before } : {}) }).catch(() => undefined)
      if (!reply) return
      const added = state.addMessages(id, reply.messages)
      if (id !== state.active) state.conversation(id).unread += reply.messages.filter((m) => m.userId !== state.user?.userId).length
      if (reply.cursor === null || added === 0) break
      before = reply.cursor
    }
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
    // A direct conversation started from another of our tabs: ask who it is with.
    if (!known && c.kind === 'direct' && !c.peer) void start().catch(() => {})
    if (message.room === state.active && document.visibilityState !== 'hidden') {
      places().lastRead[message.room] = message.id
      remember()
    } else if (message.userId !== state.user?.userId) c.unread++
    render()
  }

  /** Sends with a clientMessageId, so a retry after a timeout is stored once. */
  async function send(room, text) {
    const frame = { action: 'sendmessage', room, text, clientMessageId: crypto.randomUUID() }
    try {
      return await socket().call(frame)
    } catch (error) {
      if (error.code !== 'TIMEOUT' || !socket().online) throw error
      return socket().call(frame)
    }
  }

  return { start, resume, join, leave, loadOlder, catchUp, received, send }
}
