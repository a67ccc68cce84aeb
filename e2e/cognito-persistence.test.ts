// In dev (`dataDir` set) the local pool keeps its ids, keys and users on disk: a restart on the same
// port keeps the issuer, so users stay signed up and tokens issued before still connect.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { decodeJwt } from 'jose'
import { startChatEmulator } from './chat-emulator.ts'
import { cognitoClient, connectAs, idTokenFor, passwordOf, srpSignIn } from './users.ts'
import { TestClient } from './ws-client.ts'

test('the pool, its users and its tokens survive a restart with the same data folder and port', async (t) => {
  const dataDir = await mkdtemp(join(tmpdir(), 'dynamowave-cognito-'))
  t.after(() => rm(dataDir, { recursive: true, force: true }))

  const first = await startChatEmulator({ dataDir })
  const token = await idTokenFor(first, 'alice')
  const before = { userPoolId: first.cognito.userPoolId, clientId: first.cognito.clientId, issuer: first.cognito.issuer }
  const port = Number(new URL(first.httpUrl).port)
  await first.close()

  // Private keys and password hashes: readable by the owner only, and no password in clear.
  for (const file of ['cognito-keys.json', 'cognito-users.json']) assert.equal((await stat(join(dataDir, file))).mode & 0o777, 0o600, file)
  const users = await readFile(join(dataDir, 'cognito-users.json'), 'utf8')
  assert.match(users, /"passwordHash": "scrypt\$16384\$8\$1\$/)
  assert.ok(!users.includes(passwordOf('alice')))

  const second = await startChatEmulator({ dataDir, port })
  t.after(() => second.close())
  assert.deepEqual({ userPoolId: second.cognito.userPoolId, clientId: second.cognito.clientId, issuer: second.cognito.issuer }, before)

  const alice = await TestClient.connect(`${second.url}?token=${token}`)
  const bob = await connectAs(second, 'bob')
  t.after(() => Promise.all([alice.close(), bob.close()]))
  alice.send({ action: 'sendmessage', text: 'still me' })
  assert.equal((await bob.next((f) => f.type === 'message')).username, 'alice')
  // Signing in (without signing up) needs the stored user: a missing one is "Incorrect username or password.".
  const client = cognitoClient(second)
  t.after(() => client.destroy())
  const { AuthenticationResult: result } = await srpSignIn(client, second, 'alice', passwordOf('alice'))
  assert.equal(decodeJwt(result!.IdToken!).sub, decodeJwt(token).sub)
})
