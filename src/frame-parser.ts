// Parses an untrusted frame body once, at the edge, into the typed frame of protocol.ts. Nothing
// after this re-checks a field's type or shape. Room ids are checked here too (room-id.ts).
import { ChatError } from './errors.ts'
import { actions, defaultHistoryLimit, defaultListLimit, maxHistoryLimit, maxListLimit, maxTextLength, type Action, type ClientFrame, type FrameOf } from './protocol.ts'
import { isValidUserId, parseRoomId, parseRoomName } from './room-id.ts'

type Fields = Record<string, unknown>

const messageId = /^[0-9A-HJKMNP-TV-Z]{26}$/
const clientMessageId = /^[\w-]{1,64}$/
const ref = /^[\w.:-]{1,64}$/
/** A list's cursor: the last item's index key, `<ISO time>#<room id>` (adapters/table-keys.ts). */
const listCursor = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z#(.{1,300})$/

const parsers: { readonly [A in Action]: (value: Fields) => Omit<FrameOf<A>, 'action' | 'ref'> } = {
  joinroom: (v) => ({ room: parseRoomName(str(v, 'room')) }),
  leaveroom: (v) => ({ room: parseRoomName(str(v, 'room')) }),
  listrooms: (v) => listPage(v, (room) => parseRoomName(room)),
  listdirects: (v) => listPage(v, (room) => parseRoomId(room).room),
  sendmessage: (v) => {
    const room = optional(v, 'room', (r) => parseRoomId(str(v, r)).room)
    // The AWS tutorial sends `data`; our clients send `text`.
    const text = messageText(v.text === undefined && v.data !== undefined ? str(v, 'data') : str(v, 'text'))
    const id = optional(v, 'clientMessageId', (k) => matching(v, k, clientMessageId, '1-64 letters, digits, "-" or "_"'))
    return { ...(room === undefined ? {} : { room }), text, ...(id === undefined ? {} : { clientMessageId: id }) }
  },
  history: (v) => {
    const room = parseRoomId(str(v, 'room')).room
    const before = optional(v, 'before', (k) => matching(v, k, messageId, 'a message id'))
    const after = optional(v, 'after', (k) => matching(v, k, messageId, 'a message id'))
    // Ids sort as their times do: a window whose lower bound is not below its upper one is empty.
    if (before !== undefined && after !== undefined && after >= before) throw badFrame('after must be an older message id than before')
    const limit = optional(v, 'limit', (k) => integer(v, k, 1, maxHistoryLimit)) ?? defaultHistoryLimit
    return { room, limit, ...(before === undefined ? {} : { before }), ...(after === undefined ? {} : { after }) }
  },
  editmessage: (v) => ({
    room: parseRoomId(str(v, 'room')).room,
    id: matching(v, 'id', messageId, 'a message id'),
    text: messageText(str(v, 'text')),
  }),
  deletemessage: (v) => ({ room: parseRoomId(str(v, 'room')).room, id: matching(v, 'id', messageId, 'a message id') }),
  typing: (v) => ({ room: parseRoomId(str(v, 'room')).room }),
  opendirect: (v) => {
    const userId = str(v, 'userId')
    if (!isValidUserId(userId)) throw badFrame('userId must be a user id (1-128 printable characters)')
    return { userId }
  },
  heartbeat: () => ({}),
}

/** Parses a frame that must be `action` (its route's key); the route guarantees the action name. */
export function parseFrame<A extends Action>(body: string | undefined | null, action: A): FrameOf<A> {
  const value = parseJsonObject(body)
  const frameRef = optional(value, 'ref', (k) => matching(value, k, ref, '1-64 letters, digits, "_", ".", ":" or "-"'))
  try {
    if (value.action !== action) throw unknownAction(value.action)
    const fields = parsers[action](value)
    return { action, ...fields, ...(frameRef === undefined ? {} : { ref: frameRef }) } as FrameOf<A>
  } catch (error) {
    if (error instanceof ChatError) error.ref = frameRef
    throw error
  }
}

/** Parses any frame: for `$default`, which must say precisely what is wrong with what it got. */
export function parseAnyFrame(body: string | undefined | null): ClientFrame {
  const value = parseJsonObject(body)
  const action = value.action
  if (typeof action !== 'string' || !(actions as readonly string[]).includes(action)) {
    const error = unknownAction(action)
    if (typeof value.ref === 'string' && ref.test(value.ref)) error.ref = value.ref
    throw error
  }
  return parseFrame(body, action as Action)
}

export function unknownAction(action: unknown): ChatError {
  const named = typeof action === 'string' ? `Unknown action "${action.slice(0, 64)}"` : 'Missing action'
  return new ChatError('UNKNOWN_ACTION', `${named}. Valid actions: ${actions.join(', ')}`, { validActions: [...actions] })
}

function integer(value: Fields, key: string, min: number, max: number): number {
  const n = value[key]
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw badFrame(`${key} must be an integer from ${min} to ${max}`)
  return n
}

/** `cursor` (from the previous page; its room part checked by `room`) and `limit`. */
function listPage(v: Fields, room: (id: string) => string): { cursor?: string; limit: number } {
  const cursor = optional(v, 'cursor', (k) => {
    const match = listCursor.exec(str(v, k))
    if (!match) throw badFrame(`${k} must be the cursor of a previous page`)
    try {
      room(match[1])
    } catch {
      throw badFrame(`${k} must be the cursor of a previous page`)
    }
    return match[0]
  })
  const limit = optional(v, 'limit', (k) => integer(v, k, 1, maxListLimit)) ?? defaultListLimit
  return { ...(cursor === undefined ? {} : { cursor }), limit }
}

function messageText(text: string): string {
  if (text.trim() === '') throw badFrame('text must not be empty')
  // Characters as people count them (code points), not UTF-16 units.
  let length = 0
  for (const _ of text) if (++length > maxTextLength) break
  if (length > maxTextLength) throw new ChatError('TOO_LONG', `text must be at most ${maxTextLength} characters`, { maxLength: maxTextLength })
  return text
}

function str(value: Fields, key: string): string {
  const field = value[key]
  if (typeof field !== 'string') throw badFrame(`${key} must be a string`)
  return field
}

function matching(value: Fields, key: string, pattern: RegExp, what: string): string {
  const field = str(value, key)
  if (!pattern.test(field)) throw badFrame(`${key} must be ${what}`)
  return field
}

function optional<T>(value: Fields, key: string, parse: (key: string) => T): T | undefined {
  return value[key] === undefined ? undefined : parse(key)
}

function parseJsonObject(body: string | undefined | null): Fields {
  let value: unknown
  try {
    value = JSON.parse(body ?? '')
  } catch {
    throw badFrame('frame is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badFrame('frame must be a JSON object')
  return value as Fields
}

function badFrame(message: string): ChatError {
  return new ChatError('BAD_FRAME', message)
}
