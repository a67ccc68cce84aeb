// One message at a time for things people should know (errors, mostly): a newer one replaces the
// one shown, the same one again only keeps it up longer, and it can be dismissed. It sits at the
// bottom of the page, clear of the room header, and is read out by screen readers.

const shownMs = 6000
let timer

export function notify(text, kind = 'error') {
  const host = document.getElementById('notices')
  clearTimeout(timer)
  timer = setTimeout(dismiss, shownMs)
  const shown = host.querySelector('.notice')
  if (shown?.dataset.text === text && shown.dataset.kind === kind) return
  const item = document.createElement('p')
  item.className = `notice ${kind}`
  item.dataset.text = text
  item.dataset.kind = kind
  const words = document.createElement('span')
  words.textContent = text
  const close = document.createElement('button')
  close.type = 'button'
  close.className = 'dismiss'
  close.textContent = '×'
  close.setAttribute('aria-label', 'Dismiss')
  close.onclick = dismiss
  item.append(words, close)
  host.replaceChildren(item)
}

export function dismiss() {
  clearTimeout(timer)
  document.getElementById('notices').replaceChildren()
}
