// leaveroom: leave a room; the user's last tab leaving tells the others.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('leaveroom', ({ connectionId, frame }, { chat }) => chat.rooms.leave(connectionId, frame))
