// Least privilege, checked against what the code does: every chat flow runs in the emulator (each
// function reaches DynamoDB under a path of its own, so the emulator counts which operations each
// one calls), and each function must call every DynamoDB action src/api.ts grants it and nothing
// else. Posting functions are also made to meet a peer that is gone, which costs them the cleanup.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { api } from '../src/api.ts'
import { startChatEmulator } from './chat-emulator.ts'
import { call, ok, whoIs } from './product-client.ts'
import { connectAs } from './users.ts'

test('each function calls exactly the DynamoDB actions it is granted', async (t) => {
  const emu = await startChatEmulator({ notice: () => {} })
  t.after(() => emu.close())
  const open = async (name: string) => {
    const client = await connectAs(emu, name)
    t.after(() => client.close())
    return client
  }
  /** A connection that vanishes without $disconnect, left in `rooms`: the next post there finds it gone. */
  const ghostIn = async (...rooms: string[]) => {
    const seen = emu.invocations.length
    const ghost = await connectAs(emu, 'gr-ghost')
    const id = emu.invocations.slice(seen).find((e) => e.function === 'connect')!.connectionId
    for (const room of rooms) await ok(ghost, { action: 'joinroom', room })
    emu.faults.dropDisconnects((connectionId) => connectionId === id)
    ghost.socket.terminate()
    await emu.settled()
  }
  const ann = await open('gr-ann')
  const bob = await open('gr-bob')
  const bobUser = await whoIs(bob)
  await ghostIn('gr-room')
  await ok(ann, { action: 'joinroom', room: 'gr-room' })
  await ok(bob, { action: 'joinroom', room: 'gr-room' })
  await ghostIn('gr-room')
  const sent = await ok(ann, { action: 'sendmessage', room: 'gr-room', text: 'one', clientMessageId: 'gr-1' })
  await ok(ann, { action: 'sendmessage', room: 'gr-room', text: 'one', clientMessageId: 'gr-1' })
  await ghostIn('gr-room')
  await ok(ann, { action: 'typing', room: 'gr-room' })
  await ghostIn('gr-room')
  await ok(ann, { action: 'editmessage', room: 'gr-room', id: sent.id, text: 'two' })
  await ghostIn('gr-room')
  await ok(ann, { action: 'deletemessage', room: 'gr-room', id: sent.id })
  await ok(ann, { action: 'history', room: 'gr-room' })
  await ok(ann, { action: 'listrooms' })
  const { room: direct } = await ok(ann, { action: 'opendirect', userId: bobUser.userId })
  await ok(ann, { action: 'sendmessage', room: direct, text: 'psst' })
  await ok(ann, { action: 'listdirects' })
  await ok(ann, { action: 'heartbeat' })
  await call(ann, { action: 'nosuchaction' })
  // Leaving tells the room (and meets a ghost); the last close tells it too.
  await ghostIn('gr-room')
  await ok(bob, { action: 'leaveroom', room: 'gr-room' })
  await ok(bob, { action: 'joinroom', room: 'gr-room' })
  await ghostIn('gr-room')
  await bob.close()
  await emu.settled()

  const calls = await emu.dynamoDBCalls()
  for (const [name, fn] of Object.entries(api.functions as ApiDeclaration['functions'])) {
    const granted = [...(fn.tables?.chat ?? [])].sort()
    const called = Object.keys(calls[name] ?? {}).sort()
    assert.deepEqual(called, granted, `${name}: calls ${called.join(', ') || 'nothing'}, granted ${granted.join(', ') || 'nothing'}`)
  }
})
