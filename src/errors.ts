// Errors the chat knows about carry a code: it is the contract with clients (docs/protocol.md) and
// the one thing the error boundary in ws-handler.ts turns into an error frame.

export type ChatErrorCode =
  | 'BAD_FRAME'
  | 'UNKNOWN_ACTION'
  | 'NOT_CONNECTED'
  | 'CONFIG'

export class ChatError extends Error {
  readonly code: ChatErrorCode
  readonly details: Readonly<Record<string, unknown>> | undefined

  constructor(code: ChatErrorCode, message: string, details?: Record<string, unknown>) {
    super(message)
    this.name = 'ChatError'
    this.code = code
    this.details = details
  }
}
