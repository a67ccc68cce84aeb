// listrooms: the public rooms with member counts, the caller's direct conversations, and who they are.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('listrooms', ({ connectionId }, { chat }) => chat.rooms.list(connectionId))
