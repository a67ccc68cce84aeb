// The real side of the model test: one emulator running the chat, a few users with a few tabs each
// (each tab a real `ws` client signed in through the local Cognito), and the checks that compare
// what every tab shows with what the model says it must.
import assert from 'node:assert/strict'
import type { ChatEmulator } from '../chat-emulator.ts'
import { all, ok, seen, type Frame } from '../product-client.ts'
import { connectAs } from '../users.ts'
import type { TestClient } from '../ws-client.ts'
import type { ChatModel } from './model.ts'

export interface Tab {
  client: TestClient
  connectionId: string
  /** The model's id of this connection. */
  readonly modelId: number
}

export class ChatSystem {
  /** Slot → its open tab. */
  readonly tabs = new Map<number, Tab>()
  /** Every client ever opened (closed ones keep their frames), by model connection id. */
  readonly clients = new Map<number, TestClient>()

  constructor(
    readonly emu: ChatEmulator,
    readonly model: ChatModel,
  ) {}

  async open(slot: number, modelId: number): Promise<void> {
    const seen = this.emu.invocations.length
    const client = await connectAs(this.emu, this.model.slots[slot])
    const entry = this.emu.invocations.slice(seen).find((e) => e.function === 'connect')
    assert.ok(entry, 'the $connect was logged')
    this.tabs.set(slot, { client, connectionId: entry.connectionId, modelId })
    this.clients.set(modelId, client)
  }

  tab(slot: number): Tab {
    const tab = this.tabs.get(slot)
    assert.ok(tab, `slot ${slot} has an open tab`)
    return tab
  }

  /** Waits until nothing runs and every tab has received what was sent to it. */
  async quiet(): Promise<void> {
    await this.emu.settled()
    await Promise.all([...this.tabs.values()].map((tab) => tab.client.roundTrip()))
  }

  /** Every page of a room's history, as ids. */
  async history(client: TestClient, room: string): Promise<string[]> {
    const ids: string[] = []
    let before: string | undefined
    do {
      const page = await ok(client, { action: 'history', room, limit: 100, ...(before ? { before } : {}) })
      ids.push(...page.messages.map((m: { id: string }) => m.id))
      before = page.cursor ?? undefined
    } while (before)
    return ids
  }

  /** The invariants of src/protocol.md, against the model, once everything has settled. */
  async check(): Promise<void> {
    await this.quiet()
    const { model } = this
    for (const [slot, tab] of this.tabs) {
      const connection = model.connectionOf(slot)!
      // 1. Presence converges: what each tab shows (the newest version it got) is who is there.
      for (const room of connection.rooms.keys()) {
        assert.deepEqual(shownMembers(tab.client, room), model.members(room), `${model.slots[slot]} (slot ${slot}) in ${room}`)
      }
    }
    // ...and so do the counts in the room list (asked of each open tab in turn: every tab has its
    // own listrooms budget, and the checks must not spend one).
    const open = [...this.tabs.entries()]
    const observer = open[this.checks++ % Math.max(1, open.length)]
    if (observer) {
      const [slot, tab] = observer
      const listed = await ok(tab.client, { action: 'listrooms', limit: 100 })
      for (const room of model.rooms) {
        const entry = listed.rooms.find((r: Frame) => r.room === room)
        if (entry) assert.equal(entry.memberCount, model.members(room).length, `count of ${room}`)
      }
      // The rooms the observer's account keeps, whichever of its tabs joined or left them.
      assert.deepEqual([...listed.joined].sort(), model.keptBy(model.slots[slot]!), `rooms kept by ${model.slots[slot]}`)
    }
    // 3. Exactly once: every connection in the room when a message was delivered has it once; no
    // connection has anything twice.
    for (const message of model.messages) {
      for (const [modelId, client] of this.clients) {
        const copies = all(client, (f) => f.type === 'message' && f.id === message.id).length
        if (message.recipients.has(modelId)) assert.equal(copies, 1, `connection ${modelId} has ${message.id} ${copies} times`)
        else assert.ok(copies <= 1, `connection ${modelId} has ${message.id} ${copies} times`)
      }
    }
  }

  /** 2. No gaps: a tab that (re)joins a room finds every acknowledged message of it in history. */
  async checkHistory(slot: number, room: string): Promise<void> {
    const stored = new Set(await this.history(this.tab(slot).client, room))
    const missing = this.model.messages.filter((m) => m.room === room && !stored.has(m.id)).map((m) => m.id)
    assert.deepEqual(missing, [], `history of ${room}`)
  }

  /** Sends a frame; its reply, or API Gateway's own error frame (which has no ref). */
  async attempt(client: TestClient, frame: Frame): Promise<Frame> {
    const ref = `m${++this.refs}`
    const mark = client.frames.length
    client.send({ ...frame, ref })
    return seen(client, (f) => f.ref === ref || (f.type === undefined && typeof f.message === 'string'), { since: mark, timeoutMs: 20_000 })
  }

  private refs = 0
  private checks = 0

  /** Sends until the server acknowledges (retries keep the clientMessageId); the last reply. */
  async sendUntilAcked(client: TestClient, frame: Frame, first?: Frame): Promise<Frame> {
    let reply = first ?? (await this.attempt(client, frame))
    for (let attempt = 0; reply.type !== 'ack' && attempt < 10; attempt++) {
      assert.ok(['IN_PROGRESS', 'INCOMPLETE'].includes(reply.code) || reply.message === 'Internal server error', `unexpected ${JSON.stringify(reply)}`)
      reply = await this.attempt(client, frame)
    }
    assert.equal(reply.type, 'ack', JSON.stringify(reply))
    return reply
  }

  async close(): Promise<void> {
    await Promise.all([...this.tabs.values()].map((tab) => tab.client.close().catch(() => undefined)))
  }
}

/** What a client that applies only newer versions shows for a room (as the page does). */
export function shownMembers(client: TestClient, room: string): string[] {
  let best: Frame | undefined
  for (const frame of all(client, (f) => (f.type === 'presence' || f.type === 'room') && f.room === room)) {
    if (!best || frame.version > best.version) best = frame
  }
  return (best?.members ?? []).map((m: { username: string }) => m.username).sort()
}
