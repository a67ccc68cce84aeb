// The chat as a test should see it, in a few lines: who is connected where, what became of the
// connections whose `$disconnect` never came (ghosts), who is a member of each room, and which
// messages each connection must have. The rules are src/protocol.md's, restated simply:
//   - members of a room are the users with a connection (live or ghost) in it;
//   - a change of members is announced to the room's other connections, and a post that reaches a
//     ghost removes it from every room (which may announce, and reach further ghosts);
//   - a message reaches every live connection in its room once.

export interface Connection {
  readonly id: number
  readonly user: string
  /** Room → join order (a later join of the same room moves it back). */
  readonly rooms: Map<string, number>
}

export interface Message {
  readonly room: string
  readonly id: string
  /** Live connections in the room when it was (finally) delivered. */
  readonly recipients: ReadonlySet<number>
}

export class ChatModel {
  private nextConnection = 1
  private order = 0
  /** Slot → its live connection. */
  readonly live = new Map<number, Connection>()
  readonly ghosts = new Set<Connection>()
  readonly messages: Message[] = []
  /** Slot → the last send it made (for retries). */
  readonly lastSend = new Map<number, { room: string; text: string; clientMessageId: string; id: string }>()

  /** User → the rooms their account keeps (joined on any tab, not left since on any). */
  readonly kept = new Map<string, Set<string>>()

  constructor(
    readonly slots: readonly string[],
    readonly rooms: readonly string[],
  ) {}

  keptBy(user: string): string[] {
    return [...(this.kept.get(user) ?? [])].sort()
  }

  connect(slot: number): Connection {
    const connection = { id: this.nextConnection++, user: this.slots[slot], rooms: new Map<string, number>() }
    this.live.set(slot, connection)
    return connection
  }

  members(room: string): string[] {
    return [...new Set(this.connections().filter((c) => c.rooms.has(room)).map((c) => c.user))].sort()
  }

  join(slot: number, room: string): void {
    const me = this.live.get(slot)!
    me.rooms.set(room, ++this.order)
    this.kept.set(me.user, new Set([...(this.kept.get(me.user) ?? []), room]))
    const mine = this.connections().filter((c) => c.user === me.user && c.rooms.has(room))
    const earliest = mine.reduce((a, b) => (a.rooms.get(room)! <= b.rooms.get(room)! ? a : b))
    if (earliest === me) this.fanOut(room, me)
  }

  leave(slot: number, room: string): void {
    const me = this.live.get(slot)!
    this.kept.get(me.user)?.delete(room)
    this.removeFrom(me, room)
  }

  /** A close with its `$disconnect`: the connection leaves every room. */
  close(slot: number): void {
    const me = this.live.get(slot)!
    this.live.delete(slot)
    for (const room of [...me.rooms.keys()]) this.removeFrom(me, room)
  }

  /** A close whose `$disconnect` never comes: the connection stays in its rooms, unannounced. */
  drop(slot: number): void {
    const me = this.live.get(slot)!
    this.live.delete(slot)
    this.ghosts.add(me)
  }

  /** A message delivered to everyone in the room (ghosts met on the way are removed). */
  send(slot: number, room: string, sent: { id: string; text: string; clientMessageId: string }): void {
    const recipients = new Set([...this.live.values()].filter((c) => c.rooms.has(room)).map((c) => c.id))
    this.messages.push({ room, id: sent.id, recipients })
    this.lastSend.set(slot, { room, ...sent })
    this.fanOut(room, undefined)
  }

  /** TTL swept every connection's items (their lifetime passed) and every socket is closed. */
  expireConnections(): void {
    this.live.clear()
    this.ghosts.clear()
  }

  connectionOf(slot: number): Connection | undefined {
    return this.live.get(slot)
  }

  private connections(): Connection[] {
    return [...this.live.values(), ...this.ghosts]
  }

  private removeFrom(connection: Connection, room: string): void {
    if (!connection.rooms.delete(room)) return
    const stays = this.connections().some((c) => c !== connection && c.user === connection.user && c.rooms.has(room))
    if (!stays) this.fanOut(room, connection)
  }

  /** A post to every connection in the room but `except`: the ghosts among them are gone. */
  private fanOut(room: string, except: Connection | undefined): void {
    for (const ghost of [...this.ghosts]) {
      if (ghost === except || !ghost.rooms.has(room) || !this.ghosts.has(ghost)) continue
      this.ghosts.delete(ghost)
      for (const other of [...ghost.rooms.keys()]) this.removeFrom(ghost, other)
    }
  }
}
