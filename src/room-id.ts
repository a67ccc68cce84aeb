// Room ids: a public room's name, or the id of a direct conversation between two users. The DM id is
// derived from the two user ids alone, so who may read it is decided from the id, with no lookup.
import { ChatError } from './errors.ts'

export type RoomRef =
  | { readonly kind: 'room'; readonly room: string }
  | { readonly kind: 'direct'; readonly room: string; readonly userIds: readonly [string, string] }

const roomName = /^[A-Za-z0-9_-]{1,64}$/
const maxUserIdLength = 128

/** A public room name: 1-64 letters, digits, `-` or `_`. */
export function parseRoomName(value: string): string {
  if (!roomName.test(value)) throw badRoom(value)
  return value
}

/** Either kind of room id. */
export function parseRoomId(value: string): RoomRef {
  if (!value.startsWith('dm:')) return { kind: 'room', room: parseRoomName(value) }
  const parts = value.split(':')
  if (parts.length !== 3) throw badRoom(value)
  const a = decodeUserId(parts[1])
  const b = decodeUserId(parts[2])
  // Only the canonical form (sorted, encoded as dmRoomId does) names a conversation: one id each.
  if (a === undefined || b === undefined || a === b || dmRoomId(a, b) !== value) throw badRoom(value)
  return { kind: 'direct', room: value, userIds: [a, b] }
}

export function dmRoomId(a: string, b: string): string {
  const [first, second] = a < b ? [a, b] : [b, a]
  return `dm:${encodeURIComponent(first)}:${encodeURIComponent(second)}`
}

export function isValidUserId(value: string): boolean {
  // Cognito `sub`s are UUIDs; anything printable and short is accepted, control characters are not.
  return value.length > 0 && value.length <= maxUserIdLength && !/[\u0000-\u001f\u007f]/.test(value)
}

function decodeUserId(part: string): string | undefined {
  try {
    const id = decodeURIComponent(part)
    return isValidUserId(id) ? id : undefined
  } catch {
    return undefined
  }
}

function badRoom(value: string): ChatError {
  return new ChatError(
    'BAD_ROOM_NAME',
    `"${value.slice(0, 80)}" is not a room: use 1-64 letters, digits, "-" or "_" (or a direct conversation id from opendirect)`,
  )
}
