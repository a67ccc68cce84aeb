// Identity end to end: real tokens from the local Cognito, the real authorizer on `$connect`, and the
// user everyone else sees is the one the token names — whatever the client claims.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb'
import { decodeJwt } from 'jose'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { connectAs, idTokenFor, signIn } from './users.ts'
import { TestClient } from './ws-client.ts'

async function fixture(t: { after: (fn: () => unknown) => void }): Promise<ChatEmulator> {
  const emu = await startChatEmulator()
  t.after(() => emu.close())
  return emu
}

const subOf = async (emu: ChatEmulator, username: string) => String(decodeJwt(await idTokenFor(emu, username)).sub)

test('a valid ID token connects, and the messages others receive carry the user of the token', async (t) => {
  const emu = await fixture(t)
  const alice = await connectAs(emu, 'alice')
  const bob = await connectAs(emu, 'bob')
  t.after(() => Promise.all([alice.close(), bob.close()]))
  const aliceSub = await subOf(emu, 'alice')

  alice.send({ action: 'sendmessage', text: 'hello bob' })
  const atBob = await bob.next((f) => f.type === 'message')
  assert.deepEqual([atBob.userId, atBob.username, atBob.text], [aliceSub, 'alice', 'hello bob'])
  assert.deepEqual(
    emu.invocations.filter((e) => e.function === 'authorize').map((e) => [e.routeKey, e.status]),
    [
      ['$connect', 'allow'],
      ['$connect', 'allow'],
    ],
  )
})

test('the connection is registered under the sub and username of the token', async (t) => {
  const emu = await fixture(t)
  const alice = await connectAs(emu, 'alice')
  t.after(() => alice.close())
  const sub = await subOf(emu, 'alice')
  const byUser = await emu.db.send(new QueryCommand({ TableName: 'chat', IndexName: 'gsi1', KeyConditionExpression: 'gsi1pk = :u', ExpressionAttributeValues: { ':u': `USER#${sub}` } }))
  assert.equal(byUser.Items?.length, 1)
  const connection = await emu.db.send(new GetCommand({ TableName: 'chat', Key: { pk: byUser.Items![0].pk, sk: 'META' } }))
  assert.deepEqual([connection.Item?.userId, connection.Item?.username], [sub, 'alice'])
})

test('an access token of the app client is accepted too', async (t) => {
  const emu = await fixture(t)
  const { AccessToken: accessToken } = await signIn(emu, 'carol')
  const carol = await TestClient.connect(`${emu.url}?token=${accessToken}`)
  const dave = await connectAs(emu, 'dave')
  t.after(() => Promise.all([carol.close(), dave.close()]))
  carol.send({ action: 'sendmessage', text: 'via access token' })
  const atDave = await dave.next((f) => f.type === 'message')
  assert.deepEqual([atDave.userId, atDave.username], [decodeJwt(accessToken!).sub, 'carol'])
})

test('spoofing: a frame or a query string claiming another user changes nothing', async (t) => {
  const emu = await fixture(t)
  const bobSub = await subOf(emu, 'bob')
  const aliceToken = await idTokenFor(emu, 'alice')
  // The old stop-gap `?name=` is gone: it names no one.
  const mallory = await TestClient.connect(`${emu.url}?token=${aliceToken}&name=bob&username=bob&userId=${bobSub}`)
  const bob = await connectAs(emu, 'bob')
  t.after(() => Promise.all([mallory.close(), bob.close()]))

  mallory.send({ action: 'sendmessage', text: 'I am bob', username: 'bob', userId: bobSub, user: { userId: bobSub, username: 'bob' } })
  const atBob = await bob.next((f) => f.type === 'message')
  assert.deepEqual([atBob.userId, atBob.username, atBob.text], [await subOf(emu, 'alice'), 'alice', 'I am bob'])
  const stored = await emu.db.send(new QueryCommand({ TableName: 'chat', KeyConditionExpression: 'pk = :r AND begins_with(sk, :m)', ExpressionAttributeValues: { ':r': 'ROOM#lobby', ':m': 'MSG#' } }))
  assert.deepEqual(
    stored.Items?.map((m) => [m.userId, m.username, m.text]),
    [[await subOf(emu, 'alice'), 'alice', 'I am bob']],
  )
})
