// $default: any frame no route takes. Parsing it says what is wrong (bad JSON, or which action is
// unknown) and names the valid actions.
import { ChatError } from '../errors.ts'
import { parseFrame, unknownAction } from '../protocol.ts'
import { routeHandler } from '../ws-handler.ts'

export const handler = routeHandler(async (event) => {
  parseFrame(event.body)
  // The frame parsed, so its action exists but its route did not take it: still not ours to serve.
  throw unknownAction((JSON.parse(event.body ?? '{}') as { action?: unknown }).action) satisfies ChatError
})
