// $disconnect: best-effort on AWS, so TTL cleans up whatever this misses.
import { lifecycleHandler } from '../ws-handler.ts'

export const handler = lifecycleHandler(async (event, { chat }) => {
  await chat.disconnect(event.requestContext.connectionId)
})
