// listrooms: a page of the public rooms, most recently active first, with member counts, and who the caller is.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('listrooms', ({ connectionId, frame }, { chat }) => chat.rooms.list(connectionId, frame))
