// Message text with its web addresses made clickable, built from text nodes and <a> elements only
// (never HTML): only http and https addresses become links, so `javascript:` and `data:` stay text.

const address = /\bhttps?:\/\/[^\s<>"]+/gi
/** Punctuation that usually ends the sentence, not the address. */
const trailing = /[.,;:!?'’)\]]+$/

/** @param {string} text @returns {(Text | HTMLAnchorElement)[]} */
export function linkedText(text) {
  const parts = []
  let at = 0
  for (const match of text.matchAll(address)) {
    let href = match[0]
    const cut = trailing.exec(href)
    // Keep a closing parenthesis that closes one opened inside the address (Wikipedia-style).
    if (cut && !(cut[0] === ')' && href.includes('('))) href = href.slice(0, -cut[0].length)
    const url = safeUrl(href)
    if (!url) continue
    if (match.index > at) parts.push(document.createTextNode(text.slice(at, match.index)))
    const a = document.createElement('a')
    a.href = url
    a.textContent = href
    a.target = '_blank'
    a.rel = 'noopener noreferrer'
    parts.push(a)
    at = match.index + href.length
  }
  if (at < text.length) parts.push(document.createTextNode(text.slice(at)))
  return parts
}

function safeUrl(text) {
  try {
    const url = new URL(text)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : undefined
  } catch {
    return undefined
  }
}
