// Who is online in the open room (each a button to message them directly), and who is typing.

/** @param {import('./chat-state.js').ChatState} state @param {(user: any) => void} message */
export function renderMembers(state, message) {
  const list = document.getElementById('member-list')
  const c = state.active ? state.conversation(state.active) : undefined
  const people = c ? (c.kind === 'direct' ? [state.user, c.peer].filter(Boolean) : [...c.members.values()]) : []
  people.sort((a, b) => a.username.localeCompare(b.username))
  list.replaceChildren(
    ...people.map((user) => {
      const li = document.createElement('li')
      const me = user.userId === state.user?.userId
      if (me) {
        li.textContent = `${user.username} (you)`
        li.className = 'member me'
      } else {
        const button = document.createElement('button')
        button.type = 'button'
        button.className = 'member'
        button.textContent = user.username
        button.setAttribute('aria-label', `Message ${user.username} directly`)
        button.onclick = () => message(user)
        li.append(button)
      }
      return li
    }),
  )
  document.getElementById('members-title').textContent = c?.kind === 'room' ? `Online (${people.length})` : 'People'
}

/** @param {import('./chat-state.js').ChatState} state */
export function renderTyping(state) {
  const line = document.getElementById('typing')
  const names = state.active ? state.typists(state.active).map((u) => u.username) : []
  line.textContent =
    names.length === 0 ? '' : names.length === 1 ? `${names[0]} is typing…` : names.length === 2 ? `${names[0]} and ${names[1]} are typing…` : 'Several people are typing…'
}
