// The room list: pages of `listrooms` (most recently active first), read again when the page
// comes back into view or someone searches it, and grown live by `roomcreated`. Rooms that expired
// on the server (nobody joined or wrote there for days) leave it, unless joined or open here.

/** Rooms asked for per listrooms page (each one's count costs a read). */
export const roomsPage = 20

/**
 * @param {{ state: import('./chat-state.js').ChatState, socket: () => import('./chat-socket.js').ChatSocket,
 *   render: () => void, notify: (error: any) => void }} deps
 */
export function roomList({ state, socket, render, notify }) {
  /** Where the room list goes on (`listrooms` cursor); null at its end. */
  let cursor = null

  function listed(reply) {
    for (const room of reply.rooms) {
      const c = state.conversation(room.room)
      c.listed = true
      // A joined room's count comes with presence, which is newer.
      if (!c.joined) c.memberCount = room.memberCount
    }
    cursor = reply.cursor
  }

  /** The next page of the room list. */
  async function more() {
    if (!cursor) return
    const reply = await socket().call({ action: 'listrooms', limit: roomsPage, cursor }).catch((error) => void notify(error))
    if (!reply) return
    listed(reply)
    render()
  }

  /** The list read again, as far as it was shown: fresh counts, and expired rooms leave it. */
  async function refresh() {
    const shown = [...state.conversations.values()].filter((c) => c.kind === 'room' && c.listed && !c.joined).length
    const reply = await socket()?.call({ action: 'listrooms', limit: Math.min(100, Math.max(roomsPage, shown)) }).catch(() => undefined)
    if (!reply) return
    const fresh = new Set(reply.rooms.map((r) => r.room))
    for (const c of [...state.conversations.values()]) {
      if (c.kind === 'room' && c.listed && !c.joined && c.id !== state.active && !fresh.has(c.id)) state.conversations.delete(c.id)
    }
    listed(reply)
    render()
  }

  /** Someone created a room: it joins the list at once. */
  function created(event) {
    const c = state.conversation(event.room)
    c.listed = true
    if (!c.joined) c.memberCount = event.memberCount
    render()
  }

  return { listed, more, refresh, created, hasMore: () => cursor !== null }
}
