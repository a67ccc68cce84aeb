// What a user's page remembers across reloads, per user: the open conversation, the last message
// read in each (for unread counts after a reload), and a copy of the rooms they joined, which the
// account's own list (`listrooms`' `joined`, kept on the server) replaces each time the page connects.

const key = (userId) => `dynamowave.places.${userId}`

export function loadPlaces(userId) {
  try {
    const value = JSON.parse(localStorage.getItem(key(userId)) ?? 'null')
    if (value && Array.isArray(value.joined)) return { joined: value.joined, active: value.active, lastRead: value.lastRead ?? {} }
  } catch {
    // A damaged entry is replaced below.
  }
  return { joined: ['lobby'], active: 'lobby', lastRead: {} }
}

export function savePlaces(userId, places) {
  localStorage.setItem(key(userId), JSON.stringify(places))
}
