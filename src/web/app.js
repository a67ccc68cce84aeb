// The page: loads its config, signs the user in (Cognito), keeps a socket to the chat, and wires
// the state to the views. Every user-provided string reaches the DOM through textContent.
import { ChatSocket } from './chat-socket.js'
import { ChatState } from './chat-state.js'
import { cognitoClient } from './cognito.js'
import { showAuth } from './auth-view.js'
import { errorText } from './error-text.js'
import { renderMembers, renderTyping } from './members-view.js'
import { MessagesView } from './messages-view.js'
import { dismiss, notify } from './notices.js'
import { wireAuthenticatorDialog } from './authenticator-dialog.js'
import { wireDrawers } from './drawers.js'
import { loadPlaces, savePlaces } from './saved-places.js'
import { Session } from './session.js'
import { renderSidebar } from './sidebar-view.js'
import { wireComposer } from './composer.js'
import { syncConversations } from './sync.js'

const $ = (id) => document.getElementById(id)

async function main() {
  let config
  try {
    const response = await fetch('config.json', { cache: 'no-store' })
    config = await response.json()
  } catch {
    return notify('Cannot load the page configuration (config.json). Reload to try again.')
  }
  if (!config?.cognito?.endpoint || !config?.cognito?.clientId || !config?.websocketUrl) {
    return notify('Sign-in is not configured for this server (config.json has no cognito settings).')
  }
  const cognito = cognitoClient(config.cognito)
  const session = new Session(cognito, () => signedOut('Your session has expired. Please sign in again.'))
  // Optional MFA: anyone may turn an authenticator on (required MFA sets one up at sign-in instead).
  if (config.cognito.mfa === 'OPTIONAL') wireAuthenticatorDialog({ cognito, session, notify })
  const state = new ChatState()
  let places
  let socket

  const view = new MessagesView({
    loadOlder: () => void sync.loadOlder(state.active),
    edit: (message, text) => guarded(socket.call({ action: 'editmessage', room: message.room, id: message.id, text })),
    remove: (message) => guarded(socket.call({ action: 'deletemessage', room: message.room, id: message.id })),
    retry: (pending) => {
      if (state.pendingRetried(pending.room, pending.clientMessageId)) deliver(pending.room, pending.text, pending.clientMessageId)
    },
    discard: (pending) => {
      state.dropPending(pending.room, pending.clientMessageId)
      render()
    },
  })
  view.rerender = () => render()

  const render = () => {
    renderSidebar(state, open, { hasMore: sync.rooms.hasMore() })
    view.render(state)
    renderMembers(state, startDirect)
    renderTyping(state)
    const c = state.active ? state.conversation(state.active) : undefined
    const title = c ? (c.kind === 'room' ? `# ${c.title}` : c.title) : ''
    $('conversation-title').textContent = title
    const meta = c?.kind === 'room' ? `${c.memberCount} online` : c ? 'Direct message' : ''
    $('conversation-meta').textContent = meta
    // On a phone the online list is a drawer: this opens it.
    $('toggle-members').textContent = c?.kind === 'room' ? `${c.memberCount} online` : 'People'
    $('toggle-members').hidden = !c
    // The lobby is where every connection listens: it has no Leave.
    $('leave-room').hidden = !c || c.kind !== 'room' || !c.joined || c.id === 'lobby'
    $('me').textContent = state.user ? state.user.username : ''
  }

  /** Sends one message, shown at once as "sending"; a refusal leaves it "not sent" with Retry. */
  const deliver = (room, text, clientMessageId) => {
    view.follow()
    render()
    sync.send(room, text, clientMessageId).then(
      () => state.dropPending(room, clientMessageId),
      (error) => state.pendingFailed(room, clientMessageId, errorText(error)),
    ).finally(() => {
      if (state.active === room) view.follow()
      render()
    })
  }

  const guarded = async (promise) => {
    try {
      return await promise
    } catch (error) {
      notify(errorText(error))
      throw error
    }
  }

  const remember = () => state.user && savePlaces(state.user.userId, places)

  const sync = syncConversations({ state, socket: () => socket, places: () => places, remember, render, notify: (e) => notify(errorText(e)) })

  function open(id) {
    const c = state.conversation(id)
    state.active = id
    c.unread = 0
    places.active = id
    const newest = state.newestId(id)
    if (newest) places.lastRead[id] = newest
    remember()
    drawers.close()
    render()
    view.scrollToEnd()
    if (c.kind === 'room' && !c.joined) void sync.join(id)
    else if (!c.loaded) void sync.loadOlder(id)
    $('message-input').focus()
  }

  async function startDirect(user) {
    const reply = await guarded(socket.call({ action: 'opendirect', userId: user.userId })).catch(() => undefined)
    if (!reply) return
    state.setPeer(reply.room, { userId: reply.userId, username: reply.username })
    open(reply.room)
  }

  function onFrame(frame) {
    switch (frame.type) {
      case 'message':
        return sync.received(frame)
      case 'edited':
        state.edit(frame)
        return render()
      case 'deleted':
        state.remove(frame)
        return render()
      case 'presence':
        // Applied only when newer than what is shown (chat-state.js).
        if (state.presence(frame)) render()
        return
      case 'roomcreated':
        return sync.rooms.created(frame)
      case 'typing':
        state.typing(frame)
        renderTyping(state)
        return void setTimeout(() => renderTyping(state), 5100)
      case 'error':
        return notify(errorText(frame))
      default:
        // API Gateway's own error frames ({ message, connectionId, requestId }).
        if (typeof frame?.message === 'string' && !frame.type) notify(`Server error: ${frame.message}`)
    }
  }

  function signedIn() {
    const current = session.current
    $('auth').hidden = true
    $('chat').hidden = false
    $('me').textContent = current?.username ?? ''
    socket = new ChatSocket({
      url: async () => {
        const url = new URL(config.websocketUrl)
        url.searchParams.set('token', await session.freshIdToken())
        return url.toString()
      },
      onOpen: async () => {
        const listed = await sync.start().catch((error) => notify(errorText(error)))
        if (!listed) return
        const { user } = listed
        places ??= loadPlaces(user.userId)
        // The rooms the account keeps (joined from any browser); the lobby is everyone's.
        if (listed.joined) places.joined = ['lobby', ...[...listed.joined].reverse().filter((r) => r !== 'lobby')]
        await sync.resume()
        if (!state.active) open(places.joined.includes(places.active) || places.active?.startsWith('dm:') ? places.active : places.joined[0] ?? 'lobby')
        render()
      },
      onFrame,
      onStatus: (status, detail) => {
        $('status').textContent = status === 'online' ? 'Online' : status === 'connecting' ? 'Connecting…' : detail ?? 'Offline'
        $('status').dataset.status = status
      },
      onAuthFailure: () => session.refresh(),
    })
    socket.start()
  }

  /** `asked`: the person signed out (the refresh token is revoked); otherwise the session ended by itself. */
  function signedOut(message = '', { asked = false } = {}) {
    dismiss()
    socket?.stop()
    socket = undefined
    session.signOut({ revoke: asked }).catch(() => notify('Signed out here, but Cognito could not be told: the session ends when its tokens expire.'))
    state.conversations.clear()
    state.active = undefined
    state.user = undefined
    places = undefined
    view.render(state)
    showAuth({ cognito, session, pool: config.cognito, onSignedIn: signedIn }, message, asked ? 'info' : 'error')
  }

  wireComposer({
    send: (text) => {
      if (!state.active) return false
      const clientMessageId = crypto.randomUUID()
      state.addPending(state.active, clientMessageId, text)
      deliver(state.active, text, clientMessageId)
      return true
    },
    typing: () => state.active && socket?.send({ action: 'typing', room: state.active }),
  })
  $('join-form').onsubmit = (event) => {
    event.preventDefault()
    const input = $('join-room')
    const room = input.value.trim()
    if (!/^[A-Za-z0-9_-]{1,64}$/.test(room)) {
      $('join-error').textContent = room === '' ? 'Type a room name first.' : errorText({ code: 'BAD_ROOM_NAME' })
      input.setAttribute('aria-invalid', 'true')
      return
    }
    input.value = ''
    open(room)
  }
  // A form error is about what was typed: typing again clears it.
  $('join-room').addEventListener('input', () => {
    $('join-error').textContent = ''
    $('join-room').removeAttribute('aria-invalid')
  })
  $('room-search').addEventListener('input', () => render())
  $('room-search').addEventListener('focus', () => socket && void sync.rooms.refresh())
  $('more-rooms').onclick = () => void sync.rooms.more()
  $('leave-room').onclick = () => state.active && void sync.leave(state.active).then((left) => left && open(places.joined[0] ?? 'lobby'))
  $('sign-out').onclick = () => signedOut('You are signed out.', { asked: true })
  // Messages that came in while the tab was hidden count as unread until it is seen again; the
  // room list's counts are read again.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState !== 'visible' || !state.active || !places) return
    if (socket) void sync.rooms.refresh()
    const c = state.conversation(state.active)
    c.unread = 0
    const newest = state.newestId(state.active)
    if (newest) places.lastRead[state.active] = newest
    remember()
    render()
  })
  const drawers = wireDrawers({ opened: (which) => which === 'sidebar' && socket && void sync.rooms.refresh() })

  if (session.current) signedIn()
  else showAuth({ cognito, session, pool: config.cognito, onSignedIn: signedIn })
}

void main()
