// What the page knows: the conversations (public rooms and direct ones), their messages, members,
// typing users and unread counts. Views read it; app.js changes it from replies and pushed events.

const typingShownMs = 5000

export class ChatState {
  constructor() {
    /** @type {{ userId: string, username: string } | undefined} */
    this.user = undefined
    /** @type {Map<string, Conversation>} */
    this.conversations = new Map()
    /** @type {string | undefined} */
    this.active = undefined
  }

  /** @returns {Conversation} */
  conversation(id) {
    let c = this.conversations.get(id)
    if (!c) {
      const direct = id.startsWith('dm:')
      c = {
        id,
        kind: direct ? 'direct' : 'room',
        title: direct ? 'Direct message' : id,
        peer: undefined,
        memberCount: 0,
        joined: direct,
        messages: new Map(),
        hasOlder: true,
        loaded: false,
        unread: 0,
        members: new Map(),
        /** The presence version `members` is at: only a newer snapshot replaces it. */
        presenceVersion: 0,
        /** Every message up to this id is known (history pages end here); undefined: nothing yet. */
        complete: undefined,
        typing: new Map(),
        /** Sends not acknowledged yet, by clientMessageId: 'sending', or 'failed' with the reason. */
        pending: new Map(),
        /** In the server's room list (listrooms, roomcreated); a room neither listed nor joined goes. */
        listed: false,
      }
      this.conversations.set(id, c)
    }
    return c
  }

  setPeer(id, peer) {
    const c = this.conversation(id)
    c.peer = peer
    c.title = peer.username
  }

  /** Adds messages (history or live); returns how many were new. */
  addMessages(id, messages) {
    const c = this.conversation(id)
    let added = 0
    for (const m of messages) {
      if (!c.messages.has(m.id)) added++
      c.messages.set(m.id, { ...c.messages.get(m.id), ...m })
      // A message from someone ends their typing.
      c.typing.delete(m.userId)
      if (c.kind === 'direct' && !c.peer && this.user && m.userId !== this.user.userId) this.setPeer(id, { userId: m.userId, username: m.username })
    }
    return added
  }

  /** A message on its way: shown at once, as "sending", until its ack or its failure. */
  addPending(id, clientMessageId, text, now = Date.now()) {
    this.conversation(id).pending.set(clientMessageId, { clientMessageId, room: id, text, status: 'sending', reason: '', at: now })
  }

  pendingFailed(id, clientMessageId, reason) {
    const p = this.conversation(id).pending.get(clientMessageId)
    if (p) Object.assign(p, { status: 'failed', reason })
  }

  pendingRetried(id, clientMessageId) {
    const p = this.conversation(id).pending.get(clientMessageId)
    if (p) Object.assign(p, { status: 'sending', reason: '' })
    return p
  }

  dropPending(id, clientMessageId) {
    this.conversation(id).pending.delete(clientMessageId)
  }

  /** Messages in time order (ids are time-sortable). */
  ordered(id) {
    return [...this.conversation(id).messages.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  }

  newestId(id) {
    const list = this.ordered(id)
    return list.at(-1)?.id
  }

  oldestId(id) {
    return this.ordered(id)[0]?.id
  }

  edit(event) {
    const m = this.conversation(event.room).messages.get(event.id)
    if (m) Object.assign(m, { text: event.text, editedAt: event.editedAt })
  }

  remove(event) {
    const m = this.conversation(event.room).messages.get(event.id)
    if (m) Object.assign(m, { text: '', deleted: true, deletedAt: event.deletedAt })
  }

  /**
   * A snapshot of who is online (a `room` reply or a `presence` event): applied only when its version
   * is newer than the one shown, so a late event never undoes a newer one.
   */
  setMembers(id, members, version) {
    const c = this.conversation(id)
    if (version <= c.presenceVersion) return false
    c.presenceVersion = version
    c.members = new Map(members.map((u) => [u.userId, u]))
    c.memberCount = members.length
    for (const userId of c.typing.keys()) if (!c.members.has(userId)) c.typing.delete(userId)
    return true
  }

  presence(event) {
    return this.setMembers(event.room, event.members, event.version)
  }

  /** A new connection starts presence over (a room that expired and came back counts from 1 again). */
  resetPresence() {
    for (const c of this.conversations.values()) c.presenceVersion = 0
  }

  /** History ended at `id` with nothing missing before it (see sync.js catchUp). */
  completeUpTo(id, newest) {
    const c = this.conversation(id)
    if (newest && (!c.complete || newest > c.complete)) c.complete = newest
  }

  typing(event, now = Date.now()) {
    this.conversation(event.room).typing.set(event.user.userId, { user: event.user, until: now + typingShownMs })
  }

  /** Who is typing in a conversation now (expired entries are dropped). */
  typists(id, now = Date.now()) {
    const c = this.conversation(id)
    for (const [userId, entry] of c.typing) if (entry.until <= now) c.typing.delete(userId)
    return [...c.typing.values()].map((e) => e.user)
  }

  totalUnread() {
    let n = 0
    for (const c of this.conversations.values()) n += c.unread
    return n
  }
}

/**
 * @typedef {{ id: string, kind: 'room' | 'direct', title: string, peer?: { userId: string, username: string },
 *   memberCount: number, joined: boolean, messages: Map<string, any>, hasOlder: boolean, loaded: boolean,
 *   unread: number, members: Map<string, any>, presenceVersion: number, complete: string | undefined,
 *   typing: Map<string, { user: any, until: number }>, pending: Map<string, Pending>, listed: boolean }} Conversation
 * @typedef {{ clientMessageId: string, room: string, text: string, status: 'sending' | 'failed', reason: string, at: number }} Pending
 */
