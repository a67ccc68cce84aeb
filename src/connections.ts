// A connection's life: registered on $connect, removed on $disconnect or when a post finds it gone.
// Removal deletes the connection's record first (after that no join can add a room to it,
// connection-store.ts), then its place in every room the record listed, and each room whose member
// it was is told. Every step is safe to repeat, and a removal cut short is finished by TTL or by the
// next post to that room that finds the connection gone.
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
    if (!connection) throw notConnected()
    return connection
  }

  /** Removes a connection and its places in rooms. Safe to run twice, or at the same time. */
  async remove(connectionId: string): Promise<void> {
    const record = await this.ctx.store.connections.remove(connectionId)
    if (record) await Promise.all(record.rooms.map((room) => this.leaveRoom(room, connectionId)))
  }

  /** A post to `room` found the connection gone: it goes from there at once, and everywhere else. */
  async gone(connectionId: string, room: string | undefined): Promise<void> {
    await Promise.all([this.remove(connectionId), room === undefined ? undefined : this.leaveRoom(room, connectionId)])
  }

  /** Takes the connection out of one room; true when it was there. */
  async leaveRoom(room: string, connectionId: string): Promise<boolean> {
    const removed = await this.ctx.store.rooms.removeConnection(room, connectionId)
    if (!removed) return false
    await this.presence.left(removed)
    return true
  }
}

export function notConnected(): ChatError {
  return new ChatError('NOT_CONNECTED', 'This connection is not registered; reconnect')
}
