// The emulator expires items by the declared TTL attribute (design.md §3.5; dynalite has no TTL).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb'
import { startEmulator } from '../emulator/start-emulator.ts'
import { fixtureApi } from './fixtures/fidelity/api.ts'
import { projectRoot } from './fixtures/fidelity/fixture-emulator.ts'

const tables = { reports: { partitionKey: { name: 'id', type: 'S' }, globalIndexes: [], timeToLiveAttribute: 'ttl' } } as const

async function setUp(t: { after: (fn: () => unknown) => void }, ttlSweepIntervalMs: number) {
  const emulator = await startEmulator({ api: fixtureApi, tables, root: projectRoot, functionOutput: 'ignore', ttlSweepIntervalMs })
  t.after(() => emulator.close())
  const db = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulator.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } }))
  t.after(() => db.destroy())
  const exists = async (id: string) => (await db.send(new GetCommand({ TableName: 'reports', Key: { id } }))).Item !== undefined
  const put = (id: string, ttl: number) => db.send(new PutCommand({ TableName: 'reports', Item: { id, ttl } }))
  return { emulator, exists, put }
}

test('design §3.5: with ttlSweepIntervalMs set, expired items disappear on their own and live ones stay', async (t) => {
  const { exists, put } = await setUp(t, 25)
  await put('expired', Math.floor(Date.now() / 1000) - 1)
  await put('alive', Math.floor(Date.now() / 1000) + 3600)
  const deadline = Date.now() + 5000
  while ((await exists('expired')) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.deepEqual([await exists('expired'), await exists('alive')], [false, true])
})

test('design §3.5: sweepExpiredItems() sweeps at once and says how many items it deleted', async (t) => {
  const { emulator, exists, put } = await setUp(t, 0)
  await put('a', Math.floor(Date.now() / 1000) - 3600)
  await put('b', Math.floor(Date.now() / 1000) - 60)
  await put('c', Math.floor(Date.now() / 1000) + 60)
  assert.equal(await emulator.sweepExpiredItems(), 2)
  assert.deepEqual([await exists('a'), await exists('b'), await exists('c')], [false, false, true])
})
