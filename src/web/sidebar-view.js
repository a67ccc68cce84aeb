// The conversation list: public rooms (joined ones first, then the others the server lists), which
// the search box narrows, each with its member count and unread count in words, and direct messages.

const roomName = /^[A-Za-z0-9_-]{1,64}$/

/** @param {import('./chat-state.js').ChatState} state @param {(id: string) => void} open @param {{ hasMore: boolean }} list */
export function renderSidebar(state, open, list = { hasMore: false }) {
  const query = document.getElementById('room-search').value.trim().toLowerCase()
  const rooms = [...state.conversations.values()]
    .filter((c) => c.kind === 'room' && (c.joined || c.listed || c.id === state.active))
    .filter((c) => query === '' || c.id.toLowerCase().includes(query))
    .sort((a, b) => Number(b.joined) - Number(a.joined) || a.id.localeCompare(b.id))
  const directs = [...state.conversations.values()].filter((c) => c.kind === 'direct').sort((a, b) => a.title.localeCompare(b.title))
  fill(document.getElementById('room-list'), rooms, state, open)
  fill(document.getElementById('direct-list'), directs, state, open)
  const empty = document.getElementById('room-list-empty')
  empty.hidden = rooms.length > 0 || query === ''
  empty.textContent = roomName.test(query) ? `No room matches “${query}”. Join it below to create it.` : `No room matches “${query}”.`
  document.getElementById('more-rooms').hidden = !list.hasMore || query !== ''
  const unread = state.totalUnread()
  document.title = unread > 0 ? `(${unread}) DynamoWave Chat` : 'DynamoWave Chat'
}

function fill(list, conversations, state, open) {
  const items = conversations.map((c) => {
    const li = document.createElement('li')
    const button = document.createElement('button')
    button.type = 'button'
    button.className = 'conversation-item'
    button.dataset.room = c.id
    if (c.id === state.active) {
      button.classList.add('active')
      button.setAttribute('aria-current', 'true')
    }
    if (!c.joined) button.classList.add('not-joined')
    const name = document.createElement('span')
    name.className = 'name'
    name.textContent = c.kind === 'room' ? `# ${c.title}` : c.title
    button.append(name)
    let label = c.kind === 'room' ? `Room ${c.title}, ${c.memberCount} online` : `Direct messages with ${c.title}`
    if (c.kind === 'room') {
      const count = document.createElement('span')
      count.className = 'count'
      count.textContent = `${c.memberCount} online`
      count.setAttribute('aria-hidden', 'true')
      button.append(count)
    }
    if (c.unread > 0) {
      const badge = document.createElement('span')
      badge.className = 'unread'
      badge.textContent = `${c.unread > 99 ? '99+' : c.unread} new`
      badge.title = `${c.unread} unread`
      badge.setAttribute('aria-hidden', 'true')
      button.append(badge)
      label += `, ${c.unread} unread`
    }
    button.setAttribute('aria-label', label)
    button.title = label
    button.onclick = () => open(c.id)
    li.append(button)
    return li
  })
  list.replaceChildren(...items)
}
