// Short-lived messages at the top of the page: errors people should see, read out by screen readers.

const shownMs = 6000

export function notify(text, kind = 'error') {
  const host = document.getElementById('notices')
  const item = document.createElement('p')
  item.className = `notice ${kind}`
  item.textContent = text
  host.append(item)
  setTimeout(() => item.remove(), shownMs)
  // Keep at most three on screen.
  while (host.childElementCount > 3) host.firstElementChild?.remove()
}
