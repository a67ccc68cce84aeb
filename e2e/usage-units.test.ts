// What a connect, a join and a send in a room of 3 cost on AWS, unit by unit, as the emulator's
// usage report (GET /_emulator/usage, handle.usage()) counts them for the chat's own handlers.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { UsageReport } from '../emulator/usage/usage-report.ts'
import { measuredUnits } from '../infra/measured-units.ts'
import { api } from '../src/api.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { ok } from './product-client.ts'
import { connectAs } from './users.ts'

/** The units of a report that do not depend on timing (durations, connection minutes do). */
function units(report: UsageReport) {
  const sum = (key: string, kind: 'read' | 'write') => report.dynamodb.tables[key]?.[kind] ?? 0
  return {
    messages: { in: report.apigateway.messagesIn, out: report.apigateway.messagesOut, billed: report.apigateway.messageUnits },
    connections: report.apigateway.connections,
    requests: Object.fromEntries(Object.entries(report.lambda.functions).filter(([, fn]) => fn.requests > 0).map(([name, fn]) => [name, fn.requests])),
    dynamodb: { table: { read: sum('chat', 'read'), write: sum('chat', 'write') }, index: { read: sum('chat/gsi1', 'read'), write: sum('chat/gsi1', 'write') } },
    monthlyActiveUsers: report.cognito.monthlyActiveUsers,
  }
}

test('one connect, one join and one send in a room of 3 cost exactly these AWS units', async (t) => {
  const emu = await startChatEmulator({ notice: () => {} })
  t.after(() => emu.close())
  const measure = async (flow: () => Promise<unknown>) => {
    const mark = await emu.markUsage()
    await flow()
    await emu.settled()
    return emu.usage({ since: mark })
  }
  const [ann, bob] = [await connectAs(emu, 'uu-ann'), await connectAs(emu, 'uu-bob')]
  t.after(() => Promise.all([ann.close(), bob.close()]))
  await ok(ann, { action: 'joinroom', room: 'uu-room' })
  await ok(bob, { action: 'joinroom', room: 'uu-room' })
  let cyd: Awaited<ReturnType<typeof connectAs>> | undefined
  const connect = await measure(async () => (cyd = await connectAs(emu, 'uu-cyd')))
  t.after(() => cyd?.close())
  const join = await measure(() => ok(cyd!, { action: 'joinroom', room: 'uu-room' }))
  const send = await measure(() => ok(ann, { action: 'sendmessage', room: 'uu-room', text: 'what does this cost?', clientMessageId: 'uu-1' }))
  assert.deepEqual(units(connect), {
    // The handshake sends no data frames; the authorizer and $connect are two Lambda requests.
    messages: { in: 0, out: 0, billed: 0 },
    connections: 1,
    requests: { authorize: 1, connect: 1 },
    dynamodb: measuredUnits.connect,
    // cyd signed in first: one monthly active user.
    monthlyActiveUsers: 1,
  })
  // The frame in, its ack and the presence event to the two already in the room.
  assert.deepEqual(units(join), { messages: { in: 1, out: 3, billed: 4 }, connections: 0, requests: { joinroom: 1 }, dynamodb: measuredUnits.join, monthlyActiveUsers: 0 })
  // The frame in, its ack and the message delivered to all three (the sender included).
  assert.deepEqual(units(send), { messages: { in: 1, out: 4, billed: 5 }, connections: 0, requests: { sendmessage: 1 }, dynamodb: measuredUnits.send, monthlyActiveUsers: 0 })
  // Lambda bills declared memory × billed duration.
  const fn = send.lambda.functions.sendmessage
  assert.ok(fn.billedMs >= 1)
  assert.equal(fn.gbSeconds, (api.functions.sendmessage.memoryMb / 1024) * (fn.billedMs / 1000))
})
