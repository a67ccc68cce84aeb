// deletemessage: soft-delete one's own message; the room is told.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('deletemessage', ({ connectionId, frame, invocation }, { chat }) => chat.messages.remove(connectionId, frame, invocation))
