// Who is online in a room, derived every time from the room's connection items (never a counter that
// could drift): the members are the distinct users with an active connection there. Every change of
// who is there bumps the room's presence version, then reads the members, then tells the others with
// that snapshot and version, so a client that applies only newer versions converges on the truth
// whatever order events arrive in (a late `joined` never undoes a newer `left`).
//
// Members are users: a user's first tab joining makes them join, their last one leaving makes them
// leave. "First" is decided from the snapshot: the join whose connection is the user's earliest
// there announces it; of two tabs joining at once at least one sees itself earliest. "Last" is the
// leave whose snapshot shows no tab of the user left; the last removal's snapshot always does.
import type { RoomConnection } from './adapters/connection-store.ts'
import { connectionLifetimeSeconds, epochSeconds } from './adapters/table-keys.ts'
import type { ChatContext } from './chat-context.ts'
import type { User } from './protocol.ts'

export interface Snapshot {
  /** The online members, sorted by name. */
  readonly members: User[]
  readonly version: number
  /** Every connection in the room, listeners included. */
  readonly present: readonly RoomConnection[]
}

export class Presence {
  constructor(private readonly ctx: ChatContext) {}

  /** Makes the connection an active member (the room is created when new) and tells the others. */
  async join(room: string, user: User, connectionId: string): Promise<Snapshot> {
    const { rooms } = this.ctx.store
    const now = this.ctx.now()
    await rooms.putMember(room, user, connectionId, now, epochSeconds(now) + connectionLifetimeSeconds)
    const snapshot = await this.snapshot(room, now, user.userId)
    const mine = snapshot.present.filter((c) => c.active && c.userId === user.userId)
    if (earliest(mine)?.connectionId === connectionId) {
      await this.tell(snapshot, connectionId, { room, event: 'joined', user })
    }
    return snapshot
  }

  /** After a connection left a room (its item already deleted): the user leaves with their last tab. */
  async left(removed: RoomConnection): Promise<void> {
    if (!removed.active) return
    const user = { userId: removed.userId, username: removed.username }
    const snapshot = await this.snapshot(removed.room, this.ctx.now(), user.userId)
    if (snapshot.members.some((m) => m.userId === user.userId)) return
    await this.tell(snapshot, removed.connectionId, { room: removed.room, event: 'left', user })
  }

  private async snapshot(room: string, now: number, by: string): Promise<Snapshot> {
    // The version first, the read after: a snapshot holds every change up to its version.
    const version = await this.ctx.store.rooms.changed(room, now, by)
    const present = await this.ctx.store.rooms.connections(room)
    return { members: onlineMembers(present), version, present }
  }

  private async tell(snapshot: Snapshot, except: string, change: { room: string; event: 'joined' | 'left'; user: User }): Promise<void> {
    const { members, version, present } = snapshot
    const audience = present.filter((c) => c.connectionId !== except).map((c) => c.connectionId)
    await this.ctx.fanOut.send(audience, { type: 'presence', ...change, memberCount: members.length, members, version }, { room: change.room })
  }
}

/** Distinct users with an active connection in the room, by name. */
export function onlineMembers(present: readonly RoomConnection[]): User[] {
  const members = new Map<string, User>()
  for (const c of present) if (c.active && !members.has(c.userId)) members.set(c.userId, { userId: c.userId, username: c.username })
  return [...members.values()].sort((a, b) => a.username.localeCompare(b.username) || a.userId.localeCompare(b.userId))
}

function earliest(connections: readonly RoomConnection[]): RoomConnection | undefined {
  return [...connections].sort((a, b) => a.joinedAt - b.joinedAt || a.connectionId.localeCompare(b.connectionId))[0]
}
