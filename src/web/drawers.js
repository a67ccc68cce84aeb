// On a phone the room list and the online list are drawers over the conversation: each opens from
// its button, and closes from its close control, the backdrop behind it, Escape, or picking a room.
// On a wide screen both are columns and none of this shows (styles.css).

const drawers = {
  sidebar: { toggle: 'toggle-sidebar', close: 'close-sidebar', className: 'sidebar-open' },
  members: { toggle: 'toggle-members', close: 'close-members', className: 'members-open' },
}

/** @param {{ opened: (which: 'sidebar' | 'members') => void }} hooks */
export function wireDrawers({ opened }) {
  const $ = (id) => document.getElementById(id)
  const backdrop = $('backdrop')

  const close = () => {
    for (const d of Object.values(drawers)) {
      document.body.classList.remove(d.className)
      $(d.toggle).setAttribute('aria-expanded', 'false')
    }
    backdrop.hidden = true
  }

  const show = (which) => {
    close()
    const d = drawers[which]
    document.body.classList.add(d.className)
    $(d.toggle).setAttribute('aria-expanded', 'true')
    backdrop.hidden = false
    $(d.close).focus()
    opened(which)
  }

  for (const [which, d] of Object.entries(drawers)) {
    $(d.toggle).onclick = () => (document.body.classList.contains(d.className) ? close() : show(which))
    $(d.close).onclick = () => {
      close()
      $(d.toggle).focus()
    }
  }
  backdrop.onclick = close
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && !backdrop.hidden) close()
  })
  return { close }
}
