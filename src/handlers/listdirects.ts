// listdirects: a page of the caller's direct conversations, most recent message first.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('listdirects', ({ connectionId, frame }, { chat }) => chat.directs.list(connectionId, frame))
