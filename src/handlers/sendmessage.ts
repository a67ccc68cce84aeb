// sendmessage: store the message and fan it out to the sender's room.
import { parseFrame } from '../protocol.ts'
import { routeHandler } from '../ws-handler.ts'

export const handler = routeHandler(async (event, { chat }) => {
  const frame = parseFrame(event.body)
  return chat.say(event.requestContext.connectionId, frame)
})
