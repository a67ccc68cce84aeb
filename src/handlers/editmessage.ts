// editmessage: change the text of one's own message; the room is told.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('editmessage', ({ connectionId, frame, invocation }, { chat }) => chat.messages.edit(connectionId, frame, invocation))
