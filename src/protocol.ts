// The chat protocol's types: every client action, every server event, every error code. What each
// means, and what a client is guaranteed (membership, presence, delivery, ordering, idempotency,
// history, limits), is written down in protocol.md next to this file; keep the two together.
// Client → server frames are JSON text objects with `action` (the API Gateway route key, see
// `routeSelectionExpression` in api.ts); server → client frames are JSON text objects with `type`.
import type { ChatError, ChatErrorCode } from './errors.ts'

export const actions = [
  'joinroom',
  'leaveroom',
  'listrooms',
  'listdirects',
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
export const maxListLimit = 100
export const defaultListLimit = 50
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
  /** The `cursor` of the previous page. */
  readonly cursor?: string
  readonly limit: number
}
export interface ListDirectsFrame extends FrameBase {
  readonly action: 'listdirects'
  readonly cursor?: string
  readonly limit: number
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
  | ListDirectsFrame
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
  /** Everyone online in the room after the change. */
  readonly members: readonly User[]
  /** Orders presence in a room: apply only a version above the last one applied. */
  readonly version: number
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
  /** The presence version these members are at (see PresenceEvent). */
  readonly version: number
  readonly ref?: string
}
export interface RoomSummary {
  readonly room: string
  readonly memberCount: number
  readonly lastActivityAt: string
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
  /** Most recently active first. */
  readonly rooms: readonly RoomSummary[]
  /** Set when more (less recently active) rooms remain: pass it as `cursor`. */
  readonly cursor: string | null
  /** First page only: the rooms this user joined (from any tab or browser), most recent first. */
  readonly joined?: readonly string[]
  readonly ref?: string
}
export interface RoomCreatedEvent extends RoomSummary {
  readonly type: 'roomcreated'
  /** Who created it (its first member). */
  readonly createdBy: User | null
}
export interface DirectsEvent {
  readonly type: 'directs'
  /** Most recent message first. */
  readonly directs: readonly DirectSummary[]
  readonly cursor: string | null
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
export type ReplyEvent = RoomEvent | RoomsEvent | DirectsEvent | HistoryEvent | DirectEvent | PongEvent | AckEvent | ErrorEvent
/** What is pushed to connections through `@connections`. */
export type PushEvent = MessageEvent | EditedEvent | DeletedEvent | PresenceEvent | TypingEvent | RoomCreatedEvent
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
