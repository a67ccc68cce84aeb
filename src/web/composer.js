// The message box: Enter sends, Shift+Enter adds a line; it grows with its text, tells the room you
// are typing (at most once every 3 s), and keeps the text when a send fails.

const typingEveryMs = 3000

/** @param {{ send: (text: string) => Promise<unknown>, typing: () => void }} actions */
export function wireComposer({ send, typing }) {
  const form = document.getElementById('composer')
  const input = document.getElementById('message-input')
  let lastTyping = 0

  const grow = () => {
    input.style.height = 'auto'
    input.style.height = `${Math.min(input.scrollHeight, 200)}px`
  }

  const submit = async () => {
    const text = input.value
    if (text.trim() === '') return
    input.value = ''
    grow()
    lastTyping = 0
    try {
      await send(text)
    } catch {
      // Give the text back so nothing typed is lost.
      if (input.value === '') input.value = text
      grow()
    }
  }

  input.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault()
      void submit()
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
    void submit()
  })
}
