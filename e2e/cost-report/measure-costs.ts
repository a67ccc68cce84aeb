// The measured run behind the README's cost section: the chat's own handlers on the emulator (in
// memory, quiet), its usage report read around each flow. Messages in rooms of several sizes, a
// visit (connect, the page's lists, a join, a disconnect), and the stack idle for a few seconds.
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { UsageReport } from '../../emulator/usage/usage-report.ts'
import { startChatEmulator, projectRoot, type ChatEmulator } from '../chat-emulator.ts'
import { ok, seen } from '../product-client.ts'
import { connectAs } from '../users.ts'
import type { TestClient } from '../ws-client.ts'

export interface RoomRun {
  readonly roomSize: number
  readonly messages: number
  readonly report: UsageReport
}

export interface MeasuredRun {
  readonly rooms: readonly RoomRun[]
  /** One visit: connect (sign-in included), the page's opening lists, a join, a disconnect. */
  readonly visit: UsageReport
  /** Nobody connected. */
  readonly idle: UsageReport
  /** What the stack deploys, from cdk.json. */
  readonly context: { readonly billingMode: string; readonly provisionedConcurrency: unknown; readonly capacity: Record<string, { read: number; write: number }> }
}

async function stackContext() {
  const context = (JSON.parse(await readFile(join(projectRoot, 'cdk.json'), 'utf8')) as { context: Record<string, unknown> }).context
  const min = (c: unknown) => {
    const { read, write } = c as { read: { min: number }; write: { min: number } }
    return { read: read.min, write: write.min }
  }
  return {
    billingMode: String(context['chat:billingMode']),
    provisionedConcurrency: context['chat:provisionedConcurrency'] ?? 0,
    capacity: { chat: min(context['chat:tableCapacity']), 'chat/gsi1': min(context['chat:indexCapacity']) },
  }
}

async function roomRun(emu: ChatEmulator, roomSize: number, messages: number): Promise<RoomRun> {
  const room = `cost-${roomSize}`
  const members: TestClient[] = []
  try {
    for (let i = 0; i < roomSize; i++) members.push(await connectAs(emu, `cost${roomSize}-u${i}`))
    for (const member of members) await ok(member, { action: 'joinroom', room })
    await emu.settled()
    const mark = await emu.markUsage()
    for (let n = 0; n < messages; n++) {
      const sender = members[n % roomSize]
      const text = `cost report message ${n} in a room of ${roomSize}: about the length of a chat line`
      const since = members.map((m) => m.frames.length)
      await ok(sender, { action: 'sendmessage', room, text, clientMessageId: `cost-${roomSize}-${n}` })
      await Promise.all(members.map((m, i) => seen(m, (f) => f.type === 'message' && f.text === text, { since: since[i], timeoutMs: 10_000 })))
    }
    await emu.settled()
    return { roomSize, messages, report: await emu.usage({ since: mark }) }
  } finally {
    await Promise.all(members.map((m) => m.close()))
    await emu.settled()
  }
}

export async function measureCosts(options: { roomSizes: readonly number[]; messages: number; idleMs: number }): Promise<MeasuredRun> {
  const context = await stackContext()
  const emu = await startChatEmulator({
    notice: () => {},
    provisionedCapacity: context.capacity,
    provisionedConcurrency: context.provisionedConcurrency as number,
    throttle: false,
  })
  try {
    const rooms: RoomRun[] = []
    for (const size of options.roomSizes) rooms.push(await roomRun(emu, size, options.messages))
    // A visit to a room that has two people in it.
    const [ann, bob] = [await connectAs(emu, 'cost-visit-ann'), await connectAs(emu, 'cost-visit-bob')]
    await ok(ann, { action: 'joinroom', room: 'cost-visit' })
    await ok(bob, { action: 'joinroom', room: 'cost-visit' })
    await emu.settled()
    const visitMark = await emu.markUsage()
    const cyd = await connectAs(emu, 'cost-visit-cyd')
    await Promise.all([ok(cyd, { action: 'listrooms', limit: 20 }), ok(cyd, { action: 'listdirects', limit: 20 })])
    await ok(cyd, { action: 'joinroom', room: 'cost-visit' })
    await cyd.close()
    await emu.settled()
    const visit = await emu.usage({ since: visitMark })
    await Promise.all([ann.close(), bob.close()])
    await emu.settled()
    const idleMark = await emu.markUsage()
    // Idle is what the clock costs: there is no event to wait for, only time to pass.
    await new Promise((resolve) => setTimeout(resolve, options.idleMs))
    const idle = await emu.usage({ since: idleMark })
    return { rooms, visit, idle, context }
  } finally {
    await emu.close()
  }
}
