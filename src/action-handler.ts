// A chat action's route handler: parse the frame for its action once, run the domain, reply, and
// echo the frame's `ref` on the reply or on the error it causes. The error boundary itself is
// ws-handler.ts's routeHandler.
import { ChatError } from './errors.ts'
import { parseFrame } from './frame-parser.ts'
import type { Action, FrameOf, ReplyEvent } from './protocol.ts'
import type { WebSocketEvent } from './websocket-event.ts'
import { routeHandler, type Deps } from './ws-handler.ts'

export interface ActionRequest<A extends Action> {
  readonly frame: FrameOf<A>
  readonly connectionId: string
  readonly event: WebSocketEvent
}

export function actionHandler<A extends Action>(action: A, run: (request: ActionRequest<A>, deps: Deps) => Promise<ReplyEvent>) {
  return routeHandler(async (event, deps) => {
    const frame = parseFrame(event.body, action)
    try {
      const reply = await run({ frame, connectionId: event.requestContext.connectionId, event }, deps)
      return frame.ref === undefined ? reply : { ...reply, ref: frame.ref }
    } catch (error) {
      if (error instanceof ChatError) error.ref = frame.ref
      throw error
    }
  })
}
