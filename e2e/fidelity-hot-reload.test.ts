// Hot reload (design.md §4): saving a handler file changes the next invocation; open sockets stay.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { describeNotice } from '../emulator/notices.ts'
import { startEmulator } from '../emulator/start-emulator.ts'
import { TestClient } from './ws-client.ts'

const handlerSource = (version: string) => `
let invocations = 0
export const handler = async () => {
  invocations++
  return { statusCode: 200, body: JSON.stringify({ version: '${version}', invocations }) }
}
`

const api: ApiDeclaration = {
  name: 'hot-reload',
  routeSelectionExpression: '$request.body.action',
  routes: [{ routeKey: 'greet', function: 'greet', twoWay: true }],
  functions: { greet: { entry: 'handlers/greet.mjs', memoryMb: 128, timeoutSeconds: 3, environment: {} } },
  throttle: { rateLimit: 1000, burstLimit: 1000 },
}

test('design §4: editing a watched handler file takes effect on the next invocation without dropping the open socket', async (t) => {
  const root = await mkdtemp(join(tmpdir(), 'hot-reload-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  const file = join(root, 'handlers', 'greet.mjs')
  await mkdir(join(root, 'handlers'))
  await writeFile(file, handlerSource('v1'))
  const notices: string[] = []
  const emulator = await startEmulator({ api, tables: {}, root, functionOutput: 'ignore', watch: [root], notice: (n) => notices.push(describeNotice(n)) })
  t.after(() => emulator.close())
  const client = await TestClient.connect(emulator.url)
  t.after(() => client.close())
  const greet = async () => {
    client.send({ action: 'greet' })
    return client.next<{ version: string; invocations: number }>()
  }
  assert.deepEqual(await greet(), { version: 'v1', invocations: 1 })
  assert.deepEqual(await greet(), { version: 'v1', invocations: 2 })

  await writeFile(file, handlerSource('v2'))
  // The watcher fires asynchronously: ask until the new code answers (or give up after a few seconds).
  const deadline = Date.now() + 5000
  let answer = await greet()
  while (answer.version === 'v1' && Date.now() < deadline) answer = await greet()
  assert.deepEqual(answer, { version: 'v2', invocations: 1 }, 'new code, cold-started')
  assert.deepEqual(await greet(), { version: 'v2', invocations: 2 })
  assert.equal(client.closeEvent, undefined, 'the socket stayed open across the reload')
  assert.equal(emulator.connectionCount(), 1)
  // The readable log says so (once per save, however many fs events it fired).
  assert.deepEqual(notices, ['functions reloaded (1): each runs the saved code from its next invocation; open sockets stay open'])
})
