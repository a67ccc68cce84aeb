// $default: any frame no route takes. Parsing it says what is wrong (bad JSON, a missing or unknown
// action) and names the valid actions.
import { parseAnyFrame, unknownAction } from '../frame-parser.ts'
import { routeHandler } from '../ws-handler.ts'

export const handler = routeHandler(async (event) => {
  const frame = parseAnyFrame(event.body)
  // The frame parsed, so its action exists but no route took it: still not ours to serve.
  throw unknownAction(frame.action)
})
