// The message box: Enter sends, Shift+Enter adds a line; it grows with its text and tells the room
// you are typing (at most once every 3 s). A sent text leaves the box for the conversation, where a
// refused send stays as "not sent" with Retry (messages-view.js): nothing typed is lost.

const typingEveryMs = 3000

/** @param {{ send: (text: string) => boolean, typing: () => void }} actions */
export function wireComposer({ send, typing }) {
  const form = document.getElementById('composer')
  const input = document.getElementById('message-input')
  let lastTyping = 0

  const grow = () => {
    input.style.height = 'auto'
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`
  }

  const submit = () => {
    const text = input.value
    if (text.trim() === '' || !send(text)) return
    input.value = ''
    grow()
    lastTyping = 0
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      submit()
    }
  })
  input.addEventListener('input', () => {
    grow()
    const now = Date.now()
    if (input.value.trim() !== '' && now - lastTyping > typingEveryMs) {
      lastTyping = now
      typing()
    }
  })
  form.addEventListener('submit', (event) => {
    event.preventDefault()
    submit()
  })
}
