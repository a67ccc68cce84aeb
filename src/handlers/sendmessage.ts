// sendmessage: store a message and fan it out to its room (or direct conversation). Also takes the
// AWS tutorial's `{"action":"sendmessage","data":"..."}`, which posts to the current room.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('sendmessage', ({ connectionId, frame, invocation }, { chat }) => chat.messages.send(connectionId, frame, invocation))
