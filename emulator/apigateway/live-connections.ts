// The emulator's view of every WebSocket connection it holds, from handshake to close.
import type { WebSocket } from 'ws'
import type { ConnectionInfo } from './websocket-events.ts'

export interface CloseCause {
  readonly code: number
  readonly reason: string
}

export interface LiveConnection {
  readonly info: ConnectionInfo
  /** Undefined while `$connect` runs: the connection is not established yet (spec §7.4). */
  socket: WebSocket | undefined
  lastActiveAt: number
  /** Set when the gateway closes the socket itself (DeleteConnection, timers), for `$disconnect`. */
  closeCause: CloseCause | undefined
  idleTimer: NodeJS.Timeout | undefined
  maxTimer: NodeJS.Timeout | undefined
}

export class LiveConnections {
  private readonly byId = new Map<string, LiveConnection>()

  add(info: ConnectionInfo): LiveConnection {
    const connection: LiveConnection = {
      info,
      socket: undefined,
      lastActiveAt: info.connectedAt,
      closeCause: undefined,
      idleTimer: undefined,
      maxTimer: undefined,
    }
    this.byId.set(info.connectionId, connection)
    return connection
  }

  get(connectionId: string): LiveConnection | undefined {
    return this.byId.get(connectionId)
  }

  /**
   * Established connections only: a connection still in `$connect` is Gone to callers (§7.4), and so
   * is one the gateway has started to close (after DeleteConnection, a timer or a limit, §7.7).
   */
  open(connectionId: string): LiveConnection | undefined {
    const connection = this.byId.get(connectionId)
    return connection?.socket && !connection.closeCause ? connection : undefined
  }

  remove(connection: LiveConnection): void {
    clearTimeout(connection.idleTimer)
    clearTimeout(connection.maxTimer)
    this.byId.delete(connection.info.connectionId)
  }

  all(): LiveConnection[] {
    return [...this.byId.values()]
  }

  get size(): number {
    return this.byId.size
  }
}
