// What a connect, a join, a send, the page's opening lists and a disconnect really cost in DynamoDB
// capacity units, measured by the emulator's meter on the chat's own handlers. The stack's default
// capacity and the README's cost figures are computed from infra/measured-units.ts: this test fails
// when the code and those figures drift apart.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { DynamoUsage } from '../emulator/dynamodb/local-dynamo.ts'
import { measuredUnits, type FlowUnits } from '../infra/measured-units.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { ok } from './product-client.ts'
import { connectAs } from './users.ts'

/** All callers' units on the chat table and its index, summed. */
function total(usage: DynamoUsage): FlowUnits {
  const sum = (key: string, kind: 'read' | 'write') => Object.values(usage).reduce((n, tables) => n + (tables[key]?.[kind] ?? 0), 0)
  return { table: { read: sum('chat', 'read'), write: sum('chat', 'write') }, index: { read: sum('chat/gsi1', 'read'), write: sum('chat/gsi1', 'write') } }
}

test('one connect, join, send, opening lists and disconnect cost exactly the measured units', async (t) => {
  const emu = await startChatEmulator({ notice: () => {} })
  t.after(() => emu.close())
  const measure = async (flow: () => Promise<unknown>): Promise<FlowUnits> => {
    const before = total(await emu.dynamoDBUsage())
    await flow()
    await emu.settled()
    const after = total(await emu.dynamoDBUsage())
    return {
      table: { read: after.table.read - before.table.read, write: after.table.write - before.table.write },
      index: { read: after.index.read - before.index.read, write: after.index.write - before.index.write },
    }
  }
  const [ann, bob] = [await connectAs(emu, 'cu-ann'), await connectAs(emu, 'cu-bob')]
  t.after(() => Promise.all([ann.close(), bob.close()]))
  await ok(ann, { action: 'joinroom', room: 'cu-room' })
  await ok(bob, { action: 'joinroom', room: 'cu-room' })
  let cyd: Awaited<ReturnType<typeof connectAs>> | undefined
  const measured = {
    connect: await measure(async () => (cyd = await connectAs(emu, 'cu-cyd'))),
    join: await measure(() => ok(cyd!, { action: 'joinroom', room: 'cu-room' })),
    send: await measure(() => ok(ann, { action: 'sendmessage', room: 'cu-room', text: 'what does this cost?', clientMessageId: 'cu-1' })),
    open: await measure(() => Promise.all([ok(bob, { action: 'listrooms', limit: 20 }), ok(bob, { action: 'listdirects', limit: 20 })])),
    disconnect: await measure(() => cyd!.close()),
  }
  assert.deepEqual(measured, measuredUnits)
})
