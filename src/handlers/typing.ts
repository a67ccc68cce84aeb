// typing: tell the others in a conversation that this user is typing. Never stored.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('typing', ({ connectionId, frame }, { chat }) => chat.typing.typing(connectionId, frame))
