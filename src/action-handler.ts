// A chat action's route handler: parse the frame for its action once, run the domain, reply, and
// echo the frame's `ref` on the reply or on the error it causes. The error boundary itself is
// ws-handler.ts's routeHandler.
import { ActionLimiter, limitedError } from './action-limits.ts'
import { ChatError } from './errors.ts'
import { parseFrame } from './frame-parser.ts'
import { userOf } from './identity.ts'
import type { Invocation } from './invocation.ts'
import { errorEvent, type Action, type FrameOf, type ReplyEvent } from './protocol.ts'
import type { WebSocketEvent } from './websocket-event.ts'
import { routeHandler, type Deps } from './ws-handler.ts'

export interface ActionRequest<A extends Action> {
  readonly frame: FrameOf<A>
  readonly connectionId: string
  readonly event: WebSocketEvent
  readonly invocation: Invocation
}

export function actionHandler<A extends Action>(action: A, run: (request: ActionRequest<A>, deps: Deps) => Promise<ReplyEvent>) {
  // One per sandbox: this function serves only this action.
  const limiter = new ActionLimiter(action)
  return routeHandler(async (event, deps, invocation) => {
    const frame = parseFrame(event.body, action)
    try {
      const connectionId = event.requestContext.connectionId
      const verdict = limiter.check(connectionId, userOf(event).userId)
      if (verdict === 'disconnect') {
        // The reply could not reach a closed socket: the reason goes first, through @connections.
        const farewell = limitedError(action, true)
        farewell.ref = frame.ref
        await deps.disconnect(connectionId, errorEvent(farewell))
        throw farewell
      }
      if (verdict !== 'allowed') throw limitedError(action, false)
      const reply = await run({ frame, connectionId, event, invocation }, deps)
      return frame.ref === undefined ? reply : { ...reply, ref: frame.ref }
    } catch (error) {
      if (error instanceof ChatError) error.ref = frame.ref
      throw error
    }
  })
}
