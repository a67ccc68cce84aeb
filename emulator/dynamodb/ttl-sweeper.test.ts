import { test } from 'node:test'
import assert from 'node:assert/strict'
import { DynamoDBDocumentClient, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb'
import type { TableDeclaration } from '../../src/tables.ts'
import { startLocalDynamo } from './local-dynamo.ts'
import { startTtlSweeper } from './ttl-sweeper.ts'

const tables = {
  sessions: { partitionKey: { name: 'pk', type: 'S' }, sortKey: { name: 'sk', type: 'N' }, globalIndexes: [], timeToLiveAttribute: 'expiresAt' },
  forever: { partitionKey: { name: 'id', type: 'S' }, globalIndexes: [] },
} as const satisfies Record<string, TableDeclaration>

const now = Date.UTC(2030, 0, 1)
const seconds = now / 1000
const year = 365 * 24 * 60 * 60

async function setUp(t: { after: (fn: () => unknown) => void }) {
  const dynamo = await startLocalDynamo(tables, { notice: () => {} })
  t.after(() => dynamo.close())
  const db = DynamoDBDocumentClient.from(dynamo.client)
  const keys = async (table: string) =>
    ((await db.send(new ScanCommand({ TableName: table }))).Items ?? []).map((i) => `${i.pk ?? i.id}${i.sk === undefined ? '' : `/${i.sk}`}`).sort()
  return { dynamo, db, keys }
}

test('design §3.5: a sweep deletes exactly the items whose Number TTL (epoch seconds) has passed, by DynamoDB\'s rules', async (t) => {
  const { dynamo, db, keys } = await setUp(t)
  const items: Record<string, unknown>[] = [
    { pk: 'expired', sk: 1, expiresAt: seconds - 10 },
    { pk: 'expired', sk: 2, expiresAt: seconds - 4 * year },
    { pk: 'future', sk: 1, expiresAt: seconds + 10 },
    { pk: 'no-ttl', sk: 1 },
    { pk: 'string-ttl', sk: 1, expiresAt: String(seconds - 10) },
    // More than five years in the past: DynamoDB does not treat it as an expiry.
    { pk: 'ancient', sk: 1, expiresAt: seconds - 6 * year },
    // Milliseconds by mistake: far in the future as seconds.
    { pk: 'millis', sk: 1, expiresAt: now - 10_000 },
  ]
  for (const Item of items) await db.send(new PutCommand({ TableName: 'sessions', Item }))
  await db.send(new PutCommand({ TableName: 'forever', Item: { id: 'kept', expiresAt: seconds - 10 } }))

  const sweeper = startTtlSweeper({ client: dynamo.client, tables, intervalMs: 0, now: () => now })
  t.after(() => sweeper.stop())
  assert.equal(await sweeper.sweep(), 2)
  assert.deepEqual(await keys('sessions'), ['ancient/1', 'future/1', 'millis/1', 'no-ttl/1', 'string-ttl/1'])
  assert.deepEqual(await keys('forever'), ['kept'], 'a table without a TTL attribute is never swept')
  assert.equal(await sweeper.sweep(), 0)
})

test('design §3.5: the sweep runs by itself every intervalMs', async (t) => {
  const { dynamo, db, keys } = await setUp(t)
  const sweeper = startTtlSweeper({ client: dynamo.client, tables, intervalMs: 20 })
  t.after(() => sweeper.stop())
  await db.send(new PutCommand({ TableName: 'sessions', Item: { pk: 'gone-soon', sk: 1, expiresAt: Date.now() / 1000 - 1 } }))
  await db.send(new PutCommand({ TableName: 'sessions', Item: { pk: 'stays', sk: 1, expiresAt: Date.now() / 1000 + 3600 } }))
  const deadline = Date.now() + 5000
  while ((await keys('sessions')).includes('gone-soon/1') && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10))
  assert.deepEqual(await keys('sessions'), ['stays/1'])
})
