// $connect: registers the connection (with a TTL) in the lobby.
import { userOf } from '../identity.ts'
import { lifecycleHandler } from '../ws-handler.ts'

export const handler = lifecycleHandler(async (event, { chat }) => {
  const { connectionId, connectedAt } = event.requestContext
  await chat.connect(connectionId, connectedAt, userOf(event))
})
