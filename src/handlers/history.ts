// history: a page of a room's messages, newest first.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('history', ({ connectionId, frame }, { chat }) => chat.history.page(connectionId, frame))
