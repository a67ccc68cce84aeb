// The open conversation's messages, oldest at the top, rendered as text (textContent, never HTML).
// Scrolling to the top asks for older history; the view stays at the bottom while new messages come
// in unless the reader has scrolled up. One's own messages can be edited or deleted in place.

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const dayFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' })

export class MessagesView {
  /**
   * @param {{ loadOlder: () => void, edit: (message: any, text: string) => Promise<void>,
   *   remove: (message: any) => Promise<void> }} actions
   */
  constructor(actions) {
    this.actions = actions
    this.box = document.getElementById('messages')
    this.list = document.getElementById('message-list')
    this.state = document.getElementById('history-state')
    this.items = new Map()
    this.shown = undefined
    this.editing = undefined
    this.box.addEventListener('scroll', () => {
      if (this.box.scrollTop < 40) this.actions.loadOlder()
    })
  }

  /** @param {import('./chat-state.js').ChatState} chat */
  render(chat) {
    const id = chat.active
    if (id !== this.shown) {
      this.items.clear()
      this.editing = undefined
      this.list.replaceChildren()
      this.shown = id
    }
    if (!id) return
    const c = chat.conversation(id)
    const messages = chat.ordered(id)
    const atBottom = this.box.scrollHeight - this.box.scrollTop - this.box.clientHeight < 60
    const firstBefore = this.list.firstElementChild
    const offsetBefore = firstBefore ? firstBefore.offsetTop - this.box.scrollTop : 0

    const nodes = messages.map((m) => this.item(m, chat.user))
    const keep = new Set(messages.map((m) => m.id))
    for (const key of this.items.keys()) if (!keep.has(key)) this.items.delete(key)
    this.list.replaceChildren(...nodes)

    this.state.textContent = !c.loaded ? 'Loading…' : c.hasOlder ? 'Scroll up for older messages' : messages.length ? 'This is the beginning of the conversation.' : 'No messages yet. Say hello!'
    if (atBottom || !firstBefore) this.box.scrollTop = this.box.scrollHeight
    // Older messages were added above: keep what the reader was looking at in place.
    else if (firstBefore.isConnected) this.box.scrollTop = firstBefore.offsetTop - offsetBefore
  }

  scrollToEnd() {
    this.box.scrollTop = this.box.scrollHeight
  }

  item(message, me) {
    const version = `${message.text}|${message.editedAt ?? ''}|${message.deleted ?? ''}|${this.editing === message.id}`
    const cached = this.items.get(message.id)
    if (cached && cached.version === version) return cached.node
    const li = document.createElement('li')
    li.className = 'message'
    li.dataset.id = message.id
    const own = me && message.userId === me.userId
    if (own) li.classList.add('own')
    if (message.deleted) li.classList.add('deleted')

    const meta = document.createElement('div')
    meta.className = 'meta'
    const author = document.createElement('span')
    author.className = 'author'
    author.textContent = message.username
    const time = document.createElement('time')
    time.dateTime = message.sentAt
    time.textContent = timeFormat.format(new Date(message.sentAt))
    time.title = dayFormat.format(new Date(message.sentAt))
    meta.append(author, ' ', time)
    if (message.editedAt && !message.deleted) {
      const edited = document.createElement('span')
      edited.className = 'edited'
      edited.textContent = '(edited)'
      meta.append(' ', edited)
    }
    li.append(meta)

    if (this.editing === message.id) li.append(this.editor(message))
    else {
      const text = document.createElement('div')
      text.className = 'text'
      text.textContent = message.deleted ? 'This message was deleted.' : message.text
      li.append(text)
    }
    if (own && !message.deleted && this.editing !== message.id) li.append(this.ownActions(message))
    this.items.set(message.id, { node: li, version })
    return li
  }

  ownActions(message) {
    const actions = document.createElement('div')
    actions.className = 'actions'
    const edit = button('Edit', 'Edit message', () => {
      this.editing = message.id
      this.rerender?.()
    })
    // Two steps instead of a dialog: the first click asks, the second deletes.
    const remove = button('Delete', 'Delete message', () => {
      if (remove.dataset.armed) return void this.actions.remove(message)
      remove.dataset.armed = 'yes'
      remove.textContent = 'Really delete?'
      remove.setAttribute('aria-label', 'Confirm: delete message')
      setTimeout(() => {
        delete remove.dataset.armed
        remove.textContent = 'Delete'
        remove.setAttribute('aria-label', 'Delete message')
      }, 4000)
    })
    actions.append(edit, remove)
    return actions
  }

  editor(message) {
    const form = document.createElement('form')
    form.className = 'editor'
    const label = document.createElement('label')
    label.className = 'visually-hidden'
    label.textContent = 'Edit message'
    const input = document.createElement('textarea')
    input.value = message.text
    input.maxLength = 4000
    label.htmlFor = input.id = `edit-${message.id}`
    const done = () => {
      this.editing = undefined
      this.rerender?.()
    }
    const save = async () => {
      const text = input.value
      if (text.trim() === '' || text === message.text) return done()
      try {
        await this.actions.edit(message, text)
        done()
      } catch {
        input.focus()
      }
    }
    input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
        event.preventDefault()
        void save()
      } else if (event.key === 'Escape') done()
    })
    form.onsubmit = (event) => {
      event.preventDefault()
      void save()
    }
    form.append(label, input, button('Save', 'Save edit', () => void save(), 'submit'), button('Cancel', 'Cancel edit', done))
    queueMicrotask(() => input.focus())
    return form
  }
}

function button(text, label, onClick, type = 'button') {
  const b = document.createElement('button')
  b.type = type
  b.textContent = text
  b.setAttribute('aria-label', label)
  if (type === 'button') b.onclick = onClick
  return b
}
