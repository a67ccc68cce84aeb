// The conversation list: public rooms (joined ones first, with member counts) and direct messages,
// each with its unread count.

/** @param {import('./chat-state.js').ChatState} state @param {(id: string) => void} open */
export function renderSidebar(state, open) {
  const rooms = [...state.conversations.values()]
    .filter((c) => c.kind === 'room')
    .sort((a, b) => Number(b.joined) - Number(a.joined) || a.id.localeCompare(b.id))
  const directs = [...state.conversations.values()].filter((c) => c.kind === 'direct').sort((a, b) => a.title.localeCompare(b.title))
  fill(document.getElementById('room-list'), rooms, state, open)
  fill(document.getElementById('direct-list'), directs, state, open)
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
      count.textContent = String(c.memberCount)
      count.setAttribute('aria-hidden', 'true')
      button.append(count)
    }
    if (c.unread > 0) {
      const badge = document.createElement('span')
      badge.className = 'unread'
      badge.textContent = c.unread > 99 ? '99+' : String(c.unread)
      badge.setAttribute('aria-hidden', 'true')
      button.append(badge)
      label += `, ${c.unread} unread`
    }
    button.setAttribute('aria-label', label)
    button.onclick = () => open(c.id)
    li.append(button)
    return li
  })
  list.replaceChildren(...items)
}
