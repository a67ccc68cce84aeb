// The chat protocol, in one place: every client action, every server event, every error code.
// Client → server frames are JSON text objects with `action` (the API Gateway route key, see
// `routeSelectionExpression` in api.ts); server → client frames are JSON text objects with `type`.
// Every action is a two-way route: its reply (or its error) comes back on the same socket. Any action
// may carry `ref` (1-64 of letters, digits, `_.:-`); the reply and any error it causes echo it.
//
// Rooms and conversations
//   A room name is 1-64 letters, digits, `-` or `_` (case-sensitive). A direct conversation between
//   two users has the room id `dm:<a>:<b>` (the two user ids, URI-encoded, sorted); `opendirect` hands
//   it out. Messages, history, edits, deletes and typing take either kind of room id.
//   On connect a connection listens in `lobby` (so the AWS tutorial frame works): it gets lobby
//   messages and may post there, but shows in presence and member counts only after `joinroom`.
//   Members are users: one user with several tabs is one member; the user leaves when the last tab
//   leaves or closes.
//
// Actions
//   joinroom      { room }                  join, creating the room when new
//                 → room { room, memberCount, members: User[] }   the online members, you included
//                 → the user's first tab there: others get presence { event: 'joined' }
//   leaveroom     { room }                  → ack; the user's last tab there: others get presence 'left'
//   listrooms     { }                       → rooms { user, rooms: RoomSummary[], directs: DirectSummary[] }
//   sendmessage   { room?, text, clientMessageId? }   1-4,000 characters; room defaults to the
//                 { data }                  current room (the last joined; `lobby` at first). `data` is
//                                           the AWS tutorial's name for `text`.
//                 → ack { id, sentAt }; everyone in the room (sender too) gets `message`.
//                   A retried send with the same clientMessageId (kept 24 h) stores nothing new and
//                   gets the first ack again, with `duplicate: true`.
//   history       { room, before?, after?, limit? }   message ids as bounds (exclusive), limit 1-100
//                 (default 50) → history { room, messages (newest first), cursor }. `cursor` is set
//                 when older messages remain: pass it as `before`. Deleted messages appear with
//                 `deleted: true` and empty text. The reply stays under 100 KB; a cut sets `cursor`.
//   editmessage   { room, id, text }        your own message → ack; the room gets `edited`
//   deletemessage { room, id }              your own message (soft delete) → ack; the room gets `deleted`
//   typing        { room }                  → ack { throttled }; other users in the room get `typing`.
//                                           Never stored; at most one per connection and room per 2 s
//                                           (more are acknowledged with throttled: true, not sent).
//   opendirect    { userId }                → direct { room, userId, username } (stores nothing)
//   heartbeat     { }                       → pong { at }. No DynamoDB call; keeps the 10-minute idle
//                                           timeout away (send one every ~5 minutes).
//   anything else → error UNKNOWN_ACTION naming the valid actions
//
// Events (server → client)
//   message  { room, id, userId, username, text, sentAt, editedAt?, deleted?, deletedAt? }
//            id is time-sortable (ULID), times are ISO-8601
//   edited   { room, id, text, editedAt }
//   deleted  { room, id, deletedAt }
//   presence { room, event: 'joined' | 'left', user, memberCount }
//   typing   { room, user }
//   room, rooms, history, direct, pong, ack (replies, above); ack is { action, room?, id?, ... }
//   error    { code, message, details?, ref? }
//
// Error codes (errors.ts); nothing is stored and the socket stays open
//   BAD_FRAME       not JSON, not an object, or a field missing, mistyped or malformed
//   UNKNOWN_ACTION  no such action (details.validActions)
//   TOO_LONG        text over 4,000 characters
//   BAD_ROOM_NAME   not a valid room name or direct-conversation id
//   NOT_MEMBER      this connection has not joined the room (or is not in the direct conversation)
//   NOT_FOUND       no such message (or it was deleted)
//   NOT_OWNER       the message is someone else's
//   USER_NOT_FOUND  opendirect: no such user
//   RATE_LIMITED    over the per-user budget (rate-limit.ts; details.retryAfterMs)
//   NOT_CONNECTED   the connection is not (or no longer) registered; reconnect
import type { ChatError, ChatErrorCode } from './errors.ts'

export const actions = [
  'joinroom',
  'leaveroom',
  'listrooms',
  'sendmessage',
  'history',
  'editmessage',
  'deletemessage',
  'typing',
  'opendirect',
  'heartbeat',
] as const
export type Action = (typeof actions)[number]

export const maxTextLength = 4000
export const maxHistoryLimit = 100
export const defaultHistoryLimit = 50
/** The first room of every connection, and where the AWS tutorial frame posts until you join another. */
export const lobby = 'lobby'

export interface User {
  readonly userId: string
  readonly username: string
}

interface FrameBase {
  readonly ref?: string
}

export interface JoinRoomFrame extends FrameBase {
  readonly action: 'joinroom'
  readonly room: string
}
export interface LeaveRoomFrame extends FrameBase {
  readonly action: 'leaveroom'
  readonly room: string
}
export interface ListRoomsFrame extends FrameBase {
  readonly action: 'listrooms'
}
export interface SendMessageFrame extends FrameBase {
  readonly action: 'sendmessage'
  /** Absent: the connection's current room. */
  readonly room?: string
  readonly text: string
  readonly clientMessageId?: string
}
export interface HistoryFrame extends FrameBase {
  readonly action: 'history'
  readonly room: string
  readonly before?: string
  readonly after?: string
  readonly limit: number
}
export interface EditMessageFrame extends FrameBase {
  readonly action: 'editmessage'
  readonly room: string
  readonly id: string
  readonly text: string
}
export interface DeleteMessageFrame extends FrameBase {
  readonly action: 'deletemessage'
  readonly room: string
  readonly id: string
}
export interface TypingFrame extends FrameBase {
  readonly action: 'typing'
  readonly room: string
}
export interface OpenDirectFrame extends FrameBase {
  readonly action: 'opendirect'
  readonly userId: string
}
export interface HeartbeatFrame extends FrameBase {
  readonly action: 'heartbeat'
}

export type ClientFrame =
  | JoinRoomFrame
  | LeaveRoomFrame
  | ListRoomsFrame
  | SendMessageFrame
  | HistoryFrame
  | EditMessageFrame
  | DeleteMessageFrame
  | TypingFrame
  | OpenDirectFrame
  | HeartbeatFrame

export type FrameOf<A extends Action> = Extract<ClientFrame, { action: A }>

/** A message as stored and as history returns it. */
export interface ChatMessage {
  readonly room: string
  readonly id: string
  readonly userId: string
  readonly username: string
  readonly text: string
  readonly sentAt: string
  readonly editedAt?: string
  readonly deleted?: true
  readonly deletedAt?: string
}

export interface MessageEvent extends ChatMessage {
  readonly type: 'message'
}
export interface EditedEvent {
  readonly type: 'edited'
  readonly room: string
  readonly id: string
  readonly text: string
  readonly editedAt: string
}
export interface DeletedEvent {
  readonly type: 'deleted'
  readonly room: string
  readonly id: string
  readonly deletedAt: string
}
export interface PresenceEvent {
  readonly type: 'presence'
  readonly room: string
  readonly event: 'joined' | 'left'
  readonly user: User
  readonly memberCount: number
}
export interface TypingEvent {
  readonly type: 'typing'
  readonly room: string
  readonly user: User
}

export interface RoomEvent {
  readonly type: 'room'
  readonly room: string
  readonly memberCount: number
  readonly members: readonly User[]
  readonly ref?: string
}
export interface RoomSummary {
  readonly room: string
  readonly memberCount: number
}
export interface DirectSummary {
  readonly room: string
  /** The other participant. */
  readonly userId: string
  readonly username: string
  readonly lastMessageAt: string
}
export interface RoomsEvent {
  readonly type: 'rooms'
  /** Who this connection is (the verified identity). */
  readonly user: User
  readonly rooms: readonly RoomSummary[]
  readonly directs: readonly DirectSummary[]
  readonly ref?: string
}
export interface HistoryEvent {
  readonly type: 'history'
  readonly room: string
  readonly messages: readonly ChatMessage[]
  readonly cursor: string | null
  readonly ref?: string
}
export interface DirectEvent {
  readonly type: 'direct'
  readonly room: string
  readonly userId: string
  readonly username: string
  readonly ref?: string
}
export interface PongEvent {
  readonly type: 'pong'
  readonly at: string
  readonly ref?: string
}
export interface AckEvent {
  readonly type: 'ack'
  readonly action: Action
  readonly room?: string
  readonly id?: string
  readonly sentAt?: string
  readonly clientMessageId?: string
  readonly duplicate?: true
  readonly throttled?: boolean
  readonly ref?: string
}
export interface ErrorEvent {
  readonly type: 'error'
  readonly code: ChatErrorCode
  readonly message: string
  readonly details?: Readonly<Record<string, unknown>>
  readonly ref?: string
}

/** What a route replies with. */
export type ReplyEvent = RoomEvent | RoomsEvent | HistoryEvent | DirectEvent | PongEvent | AckEvent | ErrorEvent
/** What is pushed to connections through `@connections`. */
export type PushEvent = MessageEvent | EditedEvent | DeletedEvent | PresenceEvent | TypingEvent
export type ServerEvent = ReplyEvent | PushEvent

/** The error frame for a known error; the boundary in ws-handler.ts sends it as the route reply. */
export function errorEvent(error: ChatError): ErrorEvent {
  return {
    type: 'error',
    code: error.code,
    message: error.message,
    ...(error.details === undefined ? {} : { details: error.details }),
    ...(error.ref === undefined ? {} : { ref: error.ref }),
  }
}
