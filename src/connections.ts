// A connection's life: registered on $connect, removed on $disconnect or when a post finds it gone.
// Removal takes it out of every room it is in, which may make its user leave those rooms.
import type { ConnectionRecord } from './adapters/connection-store.ts'
import type { ChatContext } from './chat-context.ts'
import { ChatError } from './errors.ts'
import type { Presence } from './presence.ts'
import { lobby, type User } from './protocol.ts'

export class Connections {
  constructor(
    private readonly ctx: ChatContext,
    private readonly presence: Presence,
  ) {}

  /** Registers the connection; it starts as a listener in the lobby (protocol.ts). */
  async connect(connectionId: string, connectedAt: number, user: User): Promise<void> {
    await this.ctx.store.connections.add({ connectionId, connectedAt, currentRoom: lobby, userId: user.userId, username: user.username })
  }

  /** Who is on this connection, from its record (never from what a frame claims). */
  async identify(connectionId: string): Promise<ConnectionRecord> {
    const connection = await this.ctx.store.connections.get(connectionId)
    if (!connection) throw new ChatError('NOT_CONNECTED', 'This connection is not registered; reconnect')
    return connection
  }

  /** Removes a connection and its rooms (found through gsi1, never a scan). Safe to run twice. */
  async remove(connectionId: string): Promise<void> {
    const { connections, rooms } = this.ctx.store
    const places = await connections.roomsOf(connectionId)
    await Promise.all([
      connections.remove(connectionId),
      ...places.map(async (place) => {
        const removed = await rooms.removeConnection(place.room, connectionId)
        if (removed) await this.presence.leave(removed)
      }),
    ])
  }
}
