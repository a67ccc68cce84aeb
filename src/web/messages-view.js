// The open conversation's messages, oldest at the top, rendered as text (text nodes and safe links,
// never HTML): one person's consecutive messages grouped, a separator for each day, relative times
// with the exact time on hover. Scrolling to the top asks for older history. The view follows new
// messages while the reader is at the bottom; scrolled up, a "new messages" marker shows instead of
// a jump. One's own sends show at once ("sending", or "not sent" with Retry) and can be edited or
// deleted once stored.
import { button, dayLabel, exactTime, relativeTime } from './message-parts.js'
import { linkedText } from './linked-text.js'

/** Messages of one person this close together share one header. */
const groupWithinMs = 5 * 60 * 1000

export class MessagesView {
  /**
   * @param {{ loadOlder: () => void, edit: (message: any, text: string) => Promise<void>,
   *   remove: (message: any) => Promise<void>, retry: (pending: any) => void, discard: (pending: any) => void }} actions
   */
  constructor(actions) {
    this.actions = actions
    this.box = document.getElementById('messages')
    this.list = document.getElementById('message-list')
    this.state = document.getElementById('history-state')
    this.marker = document.getElementById('new-messages')
    this.items = new Map()
    this.shown = undefined
    this.editing = undefined
    this.newest = undefined
    this.stick = false
    this.box.addEventListener('scroll', () => {
      if (this.box.scrollTop < 40) this.actions.loadOlder()
      if (this.atBottom()) this.marker.hidden = true
    })
    this.marker.onclick = () => this.scrollToEnd()
    // Relative times ("5 min ago") move on by themselves.
    setInterval(() => {
      for (const time of this.list.querySelectorAll('time[datetime]')) time.textContent = relativeTime(time.dateTime)
    }, 30_000)
  }

  atBottom() {
    return this.box.scrollHeight - this.box.scrollTop - this.box.clientHeight < 60
  }

  /** The next render ends at the bottom, wherever the reader was (one's own send). */
  follow() {
    this.stick = true
  }

  /** @param {import('./chat-state.js').ChatState} chat */
  render(chat) {
    const id = chat.active
    if (id !== this.shown) {
      this.items.clear()
      this.editing = undefined
      this.list.replaceChildren()
      this.shown = id
      this.newest = undefined
      this.marker.hidden = true
      this.stick = true
    }
    if (!id) return
    const c = chat.conversation(id)
    const messages = chat.ordered(id)
    const atBottom = this.atBottom()
    const firstBefore = this.list.querySelector('li.message')
    const offsetBefore = firstBefore ? firstBefore.offsetTop - this.box.scrollTop : 0

    const nodes = []
    let previous
    for (const m of messages) {
      const day = dayLabel(m.sentAt)
      if (!previous || dayLabel(previous.sentAt) !== day) nodes.push(separator(day))
      const grouped = previous !== undefined && previous.userId === m.userId && dayLabel(previous.sentAt) === day && Date.parse(m.sentAt) - Date.parse(previous.sentAt) < groupWithinMs
      nodes.push(this.item(m, chat.user, grouped))
      previous = m
    }
    for (const p of [...c.pending.values()].sort((a, b) => a.at - b.at)) nodes.push(this.pendingItem(p, chat.user))
    const keep = new Set(messages.map((m) => m.id))
    for (const key of this.items.keys()) if (!keep.has(key)) this.items.delete(key)
    this.list.replaceChildren(...nodes)

    this.state.textContent = !c.loaded ? 'Loading messages…' : c.hasOlder ? 'Scroll up for older messages' : messages.length || c.pending.size ? 'This is the beginning of the conversation.' : 'No messages yet. Say hello!'
    this.state.classList.toggle('loading', !c.loaded)

    const newest = messages.at(-1)
    const arrived = newest && this.newest !== undefined && newest.id > this.newest && newest.userId !== chat.user?.userId
    this.newest = newest?.id ?? this.newest ?? ''
    if (this.stick || atBottom || !firstBefore) {
      this.stick = false
      this.scrollToEnd()
    } else {
      // Older messages were added above: keep what the reader was looking at in place.
      if (firstBefore.isConnected) this.box.scrollTop = firstBefore.offsetTop - offsetBefore
      if (arrived) this.marker.hidden = false
    }
  }

  scrollToEnd() {
    this.box.scrollTop = this.box.scrollHeight
    this.marker.hidden = true
  }

  item(message, me, grouped) {
    const version = `${message.text}|${message.editedAt ?? ''}|${message.deleted ?? ''}|${this.editing === message.id}|${grouped}`
    const cached = this.items.get(message.id)
    if (cached && cached.version === version) return cached.node
    const li = document.createElement('li')
    li.className = 'message'
    li.dataset.id = message.id
    const own = me && message.userId === me.userId
    if (own) li.classList.add('own')
    if (message.deleted) li.classList.add('deleted')
    if (grouped) li.classList.add('grouped')

    const meta = document.createElement('div')
    meta.className = 'meta'
    const author = document.createElement('span')
    author.className = 'author'
    author.textContent = message.username
    const time = document.createElement('time')
    time.dateTime = message.sentAt
    time.textContent = relativeTime(message.sentAt)
    time.title = exactTime(message.sentAt)
    meta.append(author, ' ', time)
    if (message.editedAt && !message.deleted) {
      const edited = document.createElement('span')
      edited.className = 'edited'
      edited.textContent = '(edited)'
      meta.append(' ', edited)
    }
    // Grouped: the header is there for screen readers and on hover, not in the way.
    if (grouped) meta.classList.add('visually-hidden')
    li.append(meta)

    if (this.editing === message.id) li.append(this.editor(message))
    else {
      const text = document.createElement('div')
      text.className = 'text'
      if (message.deleted) text.textContent = 'This message was deleted.'
      else text.append(...linkedText(message.text))
      li.append(text)
    }
    if (own && !message.deleted && this.editing !== message.id) li.append(this.ownActions(message))
    this.items.set(message.id, { node: li, version })
    return li
  }

  /** A send on its way or refused: its text stays in the conversation, with Retry and Discard. */
  pendingItem(pending, me) {
    const li = document.createElement('li')
    li.className = `message own pending ${pending.status}`
    li.dataset.clientMessageId = pending.clientMessageId
    const meta = document.createElement('div')
    meta.className = 'meta'
    const author = document.createElement('span')
    author.className = 'author'
    author.textContent = me?.username ?? ''
    const status = document.createElement('span')
    status.className = 'send-status'
    status.textContent = pending.status === 'failed' ? `Not sent${pending.reason ? `: ${pending.reason}` : ''}` : 'Sending…'
    meta.append(author, ' ', status)
    // Not `.text`: it is not a stored message (yet).
    const text = document.createElement('div')
    text.className = 'pending-text'
    text.textContent = pending.text
    li.append(meta, text)
    if (pending.status === 'failed') {
      const actions = document.createElement('div')
      actions.className = 'send-actions'
      actions.append(button('Retry', 'Retry sending', () => this.actions.retry(pending)), button('Discard', 'Discard message', () => this.actions.discard(pending)))
      li.append(actions)
    }
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

function separator(day) {
  const li = document.createElement('li')
  li.className = 'day-separator'
  li.setAttribute('role', 'separator')
  li.textContent = day
  return li
}
