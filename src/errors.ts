// Errors the chat knows about carry a code: it is the contract with clients (listed with their
// meaning in protocol.md) and the one thing the error boundary in ws-handler.ts turns into an error
// frame. CONFIG is ours alone: it is logged, never sent.

export type ChatErrorCode =
  | 'BAD_FRAME'
  | 'UNKNOWN_ACTION'
  | 'TOO_LONG'
  | 'BAD_ROOM_NAME'
  | 'NOT_MEMBER'
  | 'NOT_FOUND'
  | 'NOT_OWNER'
  | 'USER_NOT_FOUND'
  | 'RATE_LIMITED'
  | 'NOT_CONNECTED'
  | 'TOO_MANY_ROOMS'
  | 'DUPLICATE_MISMATCH'
  | 'IN_PROGRESS'
  | 'INCOMPLETE'
  | 'CONFIG'

export class ChatError extends Error {
  readonly code: ChatErrorCode
  readonly details: Readonly<Record<string, unknown>> | undefined
  /** The `ref` of the frame that caused it, echoed in the error frame. */
  ref: string | undefined

  constructor(code: ChatErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ChatError'
    this.code = code
    this.details = details
  }
}
