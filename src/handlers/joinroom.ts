// joinroom: join a room (creating it when new); the reply lists who is online there.
import { actionHandler } from '../action-handler.ts'

export const handler = actionHandler('joinroom', ({ connectionId, frame }, { chat }) => chat.rooms.join(connectionId, frame))
