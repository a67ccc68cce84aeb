// The steps the model test takes at random, each run against the model and the real chat alike:
// tabs open, join, leave, send (and retry, and misuse their clientMessageId), close, vanish without
// a `$disconnect`; sends whose function times out or dies; the TTL of every connection passing.
import assert from 'node:assert/strict'
import fc from 'fast-check'
import type { ChatSystem } from './chat-system.ts'
import type { ChatModel } from './model.ts'

type Command = fc.AsyncCommand<ChatModel, ChatSystem>
let texts = 0

/**
 * Steps name "the n-th open tab" (or the n-th tab in a room...) rather than a fixed slot, so that
 * nearly every generated step applies whatever happened before it; resolved against the model.
 */
function nth(m: ChatModel, n: number, keep: (slot: number) => boolean): number | undefined {
  const slots = m.slots.map((_, slot) => slot).filter(keep)
  return slots.length === 0 ? undefined : slots[n % slots.length]
}
const isOpen = (m: ChatModel) => (slot: number) => m.connectionOf(slot) !== undefined
const inRoom = (m: ChatModel, room: number) => (slot: number) => m.connectionOf(slot)?.rooms.has(m.rooms[room]) === true

export class Open implements Command {
  constructor(readonly n: number) {}
  check = (m: ChatModel) => nth(m, this.n, (slot) => !isOpen(m)(slot)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.n, (s) => !isOpen(m)(s))!
    await r.open(slot, m.connect(slot).id)
    await r.check()
  }
  toString = () => `open(#${this.n})`
}

export class Join implements Command {
  constructor(
    readonly slot: number,
    readonly room: number,
  ) {}
  check = (m: ChatModel) => nth(m, this.slot, isOpen(m)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.slot, isOpen(m))!
    const room = m.rooms[this.room]
    const reply = await r.attempt(r.tab(slot).client, { action: 'joinroom', room })
    assert.equal(reply.type, 'room', JSON.stringify(reply))
    m.join(slot, room)
    await r.check()
    await r.checkHistory(slot, room)
  }
  toString = () => `join(#${this.slot}, r${this.room})`
}

export class Leave implements Command {
  constructor(
    readonly slot: number,
    readonly room: number,
  ) {}
  check = (m: ChatModel) => nth(m, this.slot, inRoom(m, this.room)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.slot, inRoom(m, this.room))!
    const reply = await r.attempt(r.tab(slot).client, { action: 'leaveroom', room: m.rooms[this.room] })
    assert.equal(reply.type, 'ack', JSON.stringify(reply))
    m.leave(slot, m.rooms[this.room])
    await r.check()
  }
  toString = () => `leave(#${this.slot}, r${this.room})`
}

/** `fault`: the first attempt times out before it can post (INCOMPLETE) or its sandbox dies. */
export class Send implements Command {
  constructor(
    readonly slot: number,
    readonly room: number,
    readonly fault: 'none' | 'timeout' | 'crash',
  ) {}
  check = (m: ChatModel) => nth(m, this.slot, inRoom(m, this.room)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.slot, inRoom(m, this.room))!
    const room = m.rooms[this.room]
    const tab = r.tab(slot)
    const frame = { action: 'sendmessage', room, text: `t${++texts}`, clientMessageId: `c${texts}-${slot}` }
    // A timeout the handler sees coming (less left than its fan-out needs), or a crash at once.
    if (this.fault !== 'none') r.emu.faults.failInvocations({ function: 'sendmessage', connectionId: tab.connectionId, kind: this.fault, afterMs: this.fault === 'timeout' ? 800 : 0 })
    const first = await r.attempt(tab.client, frame)
    if (this.fault === 'none') assert.equal(first.type, 'ack', JSON.stringify(first))
    const ack = await r.sendUntilAcked(tab.client, frame, first)
    m.send(slot, room, { id: ack.id, text: frame.text, clientMessageId: frame.clientMessageId })
    await r.check()
  }
  toString = () => `send(#${this.slot}, r${this.room}${this.fault === 'none' ? '' : `, ${this.fault}`})`
}

/** The last send again: the same id back, `duplicate`, nothing delivered again; other text is refused. */
export class Retry implements Command {
  constructor(
    readonly slot: number,
    readonly otherText: boolean,
  ) {}
  private readonly can = (m: ChatModel) => (slot: number) => {
    const last = m.lastSend.get(slot)
    return last !== undefined && m.connectionOf(slot)?.rooms.has(last.room) === true
  }
  check = (m: ChatModel) => nth(m, this.slot, this.can(m)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.slot, this.can(m))!
    const last = m.lastSend.get(slot)!
    const frame = { action: 'sendmessage', room: last.room, text: this.otherText ? `${last.text}!` : last.text, clientMessageId: last.clientMessageId }
    const reply = await r.attempt(r.tab(slot).client, frame)
    if (this.otherText) assert.equal(reply.code, 'DUPLICATE_MISMATCH', JSON.stringify(reply))
    else assert.deepEqual({ type: reply.type, id: reply.id, duplicate: reply.duplicate }, { type: 'ack', id: last.id, duplicate: true })
    await r.check()
  }
  toString = () => `retry(#${this.slot}${this.otherText ? ', other text' : ''})`
}

export class Close implements Command {
  constructor(readonly slot: number) {}
  check = (m: ChatModel) => nth(m, this.slot, isOpen(m)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.slot, isOpen(m))!
    await r.tab(slot).client.close()
    r.tabs.delete(slot)
    m.close(slot)
    await r.check()
  }
  toString = () => `close(#${this.slot})`
}

/** The socket goes and API Gateway never delivers its `$disconnect` (it is best effort). */
export class Vanish implements Command {
  constructor(readonly slot: number) {}
  check = (m: ChatModel) => nth(m, this.slot, isOpen(m)) !== undefined
  async run(m: ChatModel, r: ChatSystem) {
    const slot = nth(m, this.slot, isOpen(m))!
    const tab = r.tab(slot)
    r.emu.faults.dropDisconnects((id) => id === tab.connectionId)
    tab.client.socket.terminate()
    await tab.client.closed()
    r.tabs.delete(slot)
    m.drop(slot)
    await r.check()
  }
  toString = () => `vanish(#${this.slot})`
}

/** Every connection's lifetime passes: TTL sweeps their items, and their sockets are closed. */
export class Expire implements Command {
  check = () => true
  async run(m: ChatModel, r: ChatSystem) {
    await r.emu.sweepExpiredItems({ asOf: Date.now() + 3 * 3600_000 })
    await r.close()
    r.tabs.clear()
    m.expireConnections()
    await r.check()
  }
  toString = () => 'expire'
}

export function chatCommands(slots: number, rooms: number) {
  const slot = fc.nat({ max: slots * 2 })
  const room = fc.nat({ max: rooms - 1 })
  const open = slot.map((s) => new Open(s))
  const join = fc.tuple(slot, room).map(([s, r]) => new Join(s, r))
  const send = fc.tuple(slot, room, fc.constantFrom('none' as const, 'none' as const, 'none' as const, 'timeout' as const, 'crash' as const)).map(([s, r, f]) => new Send(s, r, f))
  // Repeated entries weigh more: tabs open and join more often than they go.
  return fc.commands(
    [
      open,
      open,
      open,
      join,
      join,
      join,
      fc.tuple(slot, room).map(([s, r]) => new Leave(s, r)),
      send,
      send,
      send,
      fc.tuple(slot, fc.boolean()).map(([s, other]) => new Retry(s, other)),
      slot.map((s) => new Close(s)),
      slot.map((s) => new Vanish(s)),
      slot.map((s) => new Vanish(s)),
      fc.constant(null).map(() => new Expire()),
    ],
    { maxCommands: 50, size: 'max' },
  )
}
