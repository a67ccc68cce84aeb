// The chat protocol, in one place: every client action, every server event, every error code.
// Client → server frames are JSON text with `action` (the API Gateway route key, see
// `routeSelectionExpression` in api.ts); server → client frames are JSON text with `type`.
//
// Actions
//   sendmessage  { action, text, clientMessageId? }       post to the sender's current room
//                { action, data }                         the AWS tutorial's frame; `data` is the text
//                → everyone in the room (sender too) gets `message`; the sender gets `ack`
//   anything else → `error` UNKNOWN_ACTION naming the valid actions
//
// Events
//   message  { type, room, id, userId, username, text, sentAt }   id is time-sortable, sentAt ISO-8601
//   ack      { type, action, id, clientMessageId? }
//   error    { type, code, message, details? }
//
// Error codes (errors.ts)
//   BAD_FRAME       the frame is not JSON, not an object, or a field is missing, mistyped or too long
//   UNKNOWN_ACTION  no such action
//   NOT_CONNECTED   the connection is not (or no longer) registered
import { ChatError, type ChatErrorCode } from './errors.ts'

export const actions = ['sendmessage'] as const
export type Action = (typeof actions)[number]

export const maxTextLength = 4000

export interface SendMessageFrame {
  readonly action: 'sendmessage'
  readonly text: string
  readonly clientMessageId: string | undefined
}

export type ClientFrame = SendMessageFrame

export interface MessageEvent {
  readonly type: 'message'
  readonly room: string
  readonly id: string
  readonly userId: string
  readonly username: string
  readonly text: string
  readonly sentAt: string
}

export interface AckEvent {
  readonly type: 'ack'
  readonly action: Action
  readonly id: string
  readonly clientMessageId?: string
}

export interface ErrorEvent {
  readonly type: 'error'
  readonly code: ChatErrorCode
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
}

export type ServerEvent = MessageEvent | AckEvent | ErrorEvent

/** Parses an untrusted frame body once, at the edge, into a typed frame. */
export function parseFrame(body: string | undefined | null): ClientFrame {
  const value = parseJsonObject(body)
  const action = value.action
  if (action === 'sendmessage') return parseSendMessage(value)
  throw unknownAction(action)
}

export function unknownAction(action: unknown): ChatError {
  const named = typeof action === 'string' ? `Unknown action "${action.slice(0, 64)}"` : 'Missing action'
  return new ChatError('UNKNOWN_ACTION', `${named}. Valid actions: ${actions.join(', ')}`, {
    validActions: [...actions],
  })
}

function parseSendMessage(value: Record<string, unknown>): SendMessageFrame {
  // The AWS tutorial sends `data`; our clients send `text`. Exactly one must be a string.
  const text = value.text ?? value.data
  if (typeof text !== 'string') throw badFrame('text must be a string')
  if (text.trim() === '') throw badFrame('text must not be empty')
  if (text.length > maxTextLength) throw badFrame(`text must be at most ${maxTextLength} characters`)
  const clientMessageId = value.clientMessageId
  if (clientMessageId !== undefined && (typeof clientMessageId !== 'string' || !/^[\w-]{1,64}$/.test(clientMessageId))) {
    throw badFrame('clientMessageId must be 1-64 letters, digits, "-" or "_"')
  }
  return { action: 'sendmessage', text, clientMessageId }
}

function parseJsonObject(body: string | undefined | null): Record<string, unknown> {
  if (typeof body !== 'string') throw badFrame('frame must be JSON text')
  let value: unknown
  try {
    value = JSON.parse(body)
  } catch {
    throw badFrame('frame is not valid JSON')
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw badFrame('frame must be a JSON object')
  return value as Record<string, unknown>
}

function badFrame(message: string): ChatError {
  return new ChatError('BAD_FRAME', message)
}

export function errorEvent(error: ChatError): ErrorEvent {
  return error.details === undefined
    ? { type: 'error', code: error.code, message: error.message }
    : { type: 'error', code: error.code, message: error.message, details: error.details }
}
