// Small pieces of the message list: how times and days read, and a labelled button.

const clock = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' })
const exact = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' })
const day = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' })

const startOfDay = (ms) => new Date(ms).setHours(0, 0, 0, 0)

/** "just now", "5 min ago", then the clock time (the day is on the separator above). */
export function relativeTime(iso, now = Date.now()) {
  const ago = now - Date.parse(iso)
  if (ago < 60_000) return 'just now'
  if (ago < 60 * 60_000) return `${Math.floor(ago / 60_000)} min ago`
  return clock.format(new Date(iso))
}

/** The exact time, for the hover title. */
export function exactTime(iso) {
  return exact.format(new Date(iso))
}

/** "Today", "Yesterday", or the date: the day separator's text, and what groups messages by day. */
export function dayLabel(iso, now = Date.now()) {
  const days = Math.round((startOfDay(now) - startOfDay(Date.parse(iso))) / 86_400_000)
  if (days === 0) return 'Today'
  if (days === 1) return 'Yesterday'
  return day.format(new Date(iso))
}

export function button(text, label, onClick, type = 'button') {
  const b = document.createElement('button')
  b.type = type
  b.textContent = text
  b.setAttribute('aria-label', label)
  if (type === 'button') b.onclick = onClick
  return b
}
