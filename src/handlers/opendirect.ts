// opendirect: the room id of the direct conversation with another user. Stores nothing.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('opendirect', ({ connectionId, frame }, { chat }) => chat.directs.open(connectionId, frame))
