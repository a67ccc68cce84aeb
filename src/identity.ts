// Who is on the other end of a connection: only what the `$connect` authorizer verified, as API
// Gateway hands it to every event of the connection (`requestContext.authorizer`, spec §6.9). Never
// anything the client says about itself.
import { ChatError } from './errors.ts'
import type { WebSocketEvent } from './websocket-event.ts'

export interface User {
  readonly userId: string
  readonly username: string
}

export function userOf(event: WebSocketEvent): User {
  const authorizer = event.requestContext.authorizer
  const userId = authorizer?.userId
  const username = authorizer?.username
  // API Gateway always passes the context of an authorizer that allowed the connection: a missing
  // user means the deployment has no (or another) authorizer on $connect, not a client error.
  if (typeof userId !== 'string' || userId === '' || typeof username !== 'string' || username === '') {
    throw new ChatError('CONFIG', 'No user in requestContext.authorizer: $connect needs the authorize function as its authorizer')
  }
  return { userId, username }
}
