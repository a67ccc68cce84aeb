// Who is on the other end of a connection. Stop-gap until the authorizer lands: the client names
// itself with `?name=` on $connect.
import { ChatError } from './errors.ts'
import type { WebSocketEvent } from './websocket-event.ts'

export interface User {
  readonly userId: string
  readonly username: string
}

export function userOf(event: WebSocketEvent): User {
  const name = event.queryStringParameters?.name?.trim()
  if (!name || !/^[\p{L}\p{N}_.-]{1,32}$/u.test(name)) {
    throw new ChatError('BAD_FRAME', 'Connect with ?name= set to 1-32 letters, digits, ".", "-" or "_"')
  }
  return { userId: `name:${name}`, username: name }
}
