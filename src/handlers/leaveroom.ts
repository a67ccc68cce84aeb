// leaveroom: leave a room (and the user's rooms); the user's last tab leaving tells the others.
import { actionHandler } from '../action-handler.ts'
import { userOf } from '../identity.ts'

export const handler = actionHandler('leaveroom', ({ connectionId, frame, event }, { chat }) => chat.rooms.leave(connectionId, frame, userOf(event)))
