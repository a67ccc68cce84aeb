// The emulator's usage report for any declaration (the fidelity fixture API): API Gateway's 32 KB
// message units, DynamoDB's units as DynamoDB computes them (compared with the ConsumedCapacity
// dynalite returns), the capacity the stack would provision, the HTTP endpoint and the rate card.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb'
import type { TableDeclaration } from '../src/tables.ts'
import { startEmulator } from '../emulator/start-emulator.ts'
import { platformLineBytes } from '../emulator/usage/usage-ledger.ts'
import { fixtureApi, fixtureTables } from './fixtures/fidelity/api.ts'
import { projectRoot, startFixture } from './fixtures/fidelity/fixture-emulator.ts'

const tables = {
  ...fixtureTables,
  units: { partitionKey: { name: 'pk', type: 'S' }, globalIndexes: [{ indexName: 'byOwner', partitionKey: { name: 'owner', type: 'S' } }] },
} as const satisfies Record<string, TableDeclaration>

type After = { after: (fn: () => unknown) => void }

function dynamoClient(t: After, endpoint: string): DynamoDBClient {
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 })
  t.after(() => client.destroy())
  return client
}

/** An item of exactly `kb` KB as DynamoDB sizes it (attribute names and values, UTF-8). */
function item(pk: string, kb: number, extra: Record<string, { S: string }> = {}) {
  const extraBytes = Object.entries(extra).reduce((n, [name, value]) => n + name.length + value.S.length, 0)
  return { pk: { S: pk }, body: { S: 'x'.repeat(kb * 1024 - ('pk'.length + pk.length) - 'body'.length - extraBytes) }, ...extra }
}

test('a 33 KB message is billed as two 32 KB units, each way, and so is a 33 KB @connections post', async (t) => {
  const fixture = await startFixture(t)
  const { client, connectionId } = await fixture.connect()
  const mark = await fixture.emulator.markUsage()
  const frame = JSON.stringify({ action: 'echo', pad: 'y'.repeat(33 * 1024) })
  client.send(frame)
  await client.next((f) => f.action === 'echo')
  await fixture.management.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from('z'.repeat(33 * 1024)) }))
  await client.next<unknown>((f) => typeof f === 'string' && f.startsWith('z'))
  await fixture.emulator.settled()
  const report = await fixture.emulator.usage({ since: mark })
  assert.deepEqual(
    { messagesIn: report.apigateway.messagesIn, messagesOut: report.apigateway.messagesOut, messageUnits: report.apigateway.messageUnits },
    { messagesIn: 1, messagesOut: 2, messageUnits: 6 },
  )
  assert.equal(report.dataTransferOut.bytes, Buffer.byteLength(frame) + 33 * 1024)
  assert.equal(report.lambda.functions.echo.requests, 1)
  // One message unit costs $1.00 per million at the list price.
  assert.equal(report.apigateway.usd.toFixed(6), ((6 + report.apigateway.connectionMinutes / 4) / 1e6).toFixed(6))
})

test('CloudWatch Logs bytes: each line a handler writes, with the runtime prefix, plus Lambda\'s START, END and REPORT lines', async (t) => {
  const fixture = await startFixture(t)
  const { client } = await fixture.connect()
  await fixture.emulator.settled()
  const mark = await fixture.emulator.markUsage()
  const lines = ['one line', 'and another, é']
  client.send({ action: 'log', lines, errors: ['to stderr'] })
  await client.next<unknown>((f) => f === 'logged')
  const entry = await fixture.waitFor((e) => e.routeKey === 'log')
  await fixture.emulator.settled()
  const fn = (await fixture.emulator.usage({ since: mark })).lambda.functions.log
  const prefix = '2026-12-02T19:30:35.123Z\t00000000-0000-0000-0000-000000000000\tINFO\t'.length
  const written = [...lines, 'to stderr'].reduce((n, line) => n + Buffer.byteLength(line) + 1 + prefix, 0)
  assert.equal(fn.logBytes, platformLineBytes(entry) + written)
})

test('DynamoDB units: a strongly consistent read, an index write and a failed conditional write, against what dynalite reports', async (t) => {
  const emulator = await startEmulator({ api: fixtureApi, tables, root: projectRoot, functionOutput: 'ignore', notice: () => {} })
  t.after(() => emulator.close())
  const db = dynamoClient(t, emulator.dynamoEndpoint)
  const units = async (flow: () => Promise<unknown>) => {
    const mark = await emulator.markUsage()
    await flow()
    const { tables } = (await emulator.usage({ since: mark })).dynamodb
    return { table: { read: tables.units?.read ?? 0, write: tables.units?.write ?? 0 }, index: { read: tables['units/byOwner']?.read ?? 0, write: tables['units/byOwner']?.write ?? 0 } }
  }
  const none = { read: 0, write: 0 }
  let put: { ConsumedCapacity?: { CapacityUnits?: number } } = {}
  // A 5 KB item: 5 write units (1 KB each, rounded up); it has no index key, so the index is not written.
  assert.deepEqual(await units(async () => (put = await db.send(new PutItemCommand({ TableName: 'units', Item: item('a', 5), ReturnConsumedCapacity: 'TOTAL' })))), { table: { read: 0, write: 5 }, index: none })
  assert.equal(put.ConsumedCapacity?.CapacityUnits, 5, 'dynalite agrees on a plain write')
  // Read back: 4 KB units rounded up, so 2; an eventually consistent read costs half.
  let get: { ConsumedCapacity?: { CapacityUnits?: number } } = {}
  assert.deepEqual(await units(async () => (get = await db.send(new GetItemCommand({ TableName: 'units', Key: { pk: { S: 'a' } }, ConsistentRead: true, ReturnConsumedCapacity: 'TOTAL' })))), { table: { read: 2, write: 0 }, index: none })
  assert.equal(get.ConsumedCapacity?.CapacityUnits, 2, 'dynalite agrees on a strongly consistent read')
  assert.deepEqual(await units(() => db.send(new GetItemCommand({ TableName: 'units', Key: { pk: { S: 'a' } } }))), { table: { read: 1, write: 0 }, index: none })
  // A 2 KB item with the index's key: 2 units on the table and 2 on the index (projection ALL).
  assert.deepEqual(
    await units(async () => (put = await db.send(new PutItemCommand({ TableName: 'units', Item: item('b', 2, { owner: { S: 'ann' } }), ReturnConsumedCapacity: 'TOTAL' })))),
    { table: { read: 0, write: 2 }, index: { read: 0, write: 2 } },
  )
  assert.equal(put.ConsumedCapacity?.CapacityUnits, 2, 'dynalite leaves the index write out of its total')
  // A write whose condition fails still consumes, by the size of the item it found.
  const failed = await units(() =>
    db
      .send(new PutItemCommand({ TableName: 'units', Item: item('b', 1), ConditionExpression: 'attribute_not_exists(pk)', ReturnConsumedCapacity: 'TOTAL' }))
      .then(
        () => assert.fail('the condition should fail'),
        (error: unknown) => assert.ok(error instanceof ConditionalCheckFailedException),
      ),
  )
  assert.deepEqual(failed, { table: { read: 0, write: 2 }, index: none })
})

test('a second over the provisioned capacity is flagged, and provisioned mode is priced with it', async (t) => {
  const emulator = await startEmulator({ api: fixtureApi, tables, root: projectRoot, functionOutput: 'ignore', notice: () => {}, provisionedCapacity: { units: { read: 1, write: { min: 2, max: 10 } } } })
  t.after(() => emulator.close())
  const db = dynamoClient(t, emulator.dynamoEndpoint)
  await db.send(new PutItemCommand({ TableName: 'units', Item: item('c', 3) }))
  const report = await emulator.usage()
  const table = report.dynamodb.tables.units
  assert.deepEqual({ write: table.write, provisioned: table.provisioned, over: table.overProvisioned }, { write: 3, provisioned: { read: 1, write: 2 }, over: true })
  assert.ok(table.peakWritePerSecond >= 3)
  assert.match(report.warnings.join('\n'), /^units: .* 1 RCU \/ 2 WCU provisioned: on AWS that is throttled \(ProvisionedThroughputExceededException\)/)
  // 3 units-hours for the run's seconds.
  assert.equal(report.dynamodb.provisionedUsd!.toFixed(9), (((1 * 0.00013 + 2 * 0.00065) * report.seconds) / 3600).toFixed(9))
  await assert.rejects(
    startEmulator({ api: fixtureApi, tables, root: projectRoot, provisionedCapacity: { nope: { read: 1, write: 1 } } }),
    (error: Error & { code?: string }) => error.code === 'INVALID_PROVISIONED_CAPACITY' && /nope, which is no declared table or index \(declared: reports, units, units\/byOwner\)/.test(error.message),
  )
})

test('enforced provisioned capacity: past the burst, DynamoDB refuses with ProvisionedThroughputExceededException (400), reads and writes apart, and the SDK retries', async (t) => {
  const emulator = await startEmulator({
    api: fixtureApi,
    tables,
    root: projectRoot,
    functionOutput: 'ignore',
    notice: () => {},
    provisionedCapacity: { units: { read: 100, write: 1 }, 'units/byOwner': { read: 1, write: 100 } },
    // 1 s of burst instead of AWS's 300, so a test reaches the end of it.
    enforceProvisionedCapacity: { burstSeconds: 1 },
  })
  t.after(() => emulator.close())
  const db = dynamoClient(t, emulator.dynamoEndpoint)
  // The bucket holds 1 WCU: the first 10 KB write is let through and leaves it 9 in debt, refilled at 1 a second.
  await db.send(new PutItemCommand({ TableName: 'units', Item: item('e', 10) }))
  const refused = await db.send(new PutItemCommand({ TableName: 'units', Item: item('f', 1) })).then(
    () => assert.fail('the write should be throttled'),
    (error: Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }) => error,
  )
  assert.equal(refused.name, 'ProvisionedThroughputExceededException')
  assert.equal(refused.$metadata?.httpStatusCode, 400)
  // Reads have their own bucket.
  await db.send(new GetItemCommand({ TableName: 'units', Key: { pk: { S: 'e' } } }))
  // The SDK's own client (its default retries): refused on every attempt within its back-off, it gives up.
  const retrying = new DynamoDBClient({ endpoint: emulator.dynamoEndpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } })
  t.after(() => retrying.destroy())
  const retried = await retrying.send(new PutItemCommand({ TableName: 'units', Item: item('g', 1) })).then(
    () => assert.fail('still throttled'),
    (error: Error & { $metadata?: { attempts?: number } }) => error,
  )
  assert.equal(retried.name, 'ProvisionedThroughputExceededException')
  const attempts = retried.$metadata?.attempts ?? 0
  assert.ok(attempts >= 3, `attempts: ${attempts}`)
  const report = await emulator.usage()
  assert.equal(report.dynamodb.tables.units.throttledRequests, 1 + attempts)
  assert.match(report.warnings.join('\n'), new RegExp(`units: ${1 + attempts} requests refused with ProvisionedThroughputExceededException`))
  await assert.rejects(startEmulator({ api: fixtureApi, tables, root: projectRoot, enforceProvisionedCapacity: true }), { code: 'INVALID_PROVISIONED_CAPACITY' })
})

test('enforced capacity of an index throttles the table writes that would write to it', async (t) => {
  const emulator = await startEmulator({
    api: fixtureApi,
    tables,
    root: projectRoot,
    functionOutput: 'ignore',
    notice: () => {},
    provisionedCapacity: { units: { read: 100, write: 100 }, 'units/byOwner': { read: 1, write: 1 } },
    enforceProvisionedCapacity: { burstSeconds: 1 },
  })
  t.after(() => emulator.close())
  const db = dynamoClient(t, emulator.dynamoEndpoint)
  await db.send(new PutItemCommand({ TableName: 'units', Item: item('h', 5, { owner: { S: 'ann' } }) }))
  await assert.rejects(db.send(new PutItemCommand({ TableName: 'units', Item: item('i', 1) })), { name: 'ProvisionedThroughputExceededException' })
  assert.equal((await emulator.usage()).dynamodb.tables['units/byOwner'].throttledRequests, 1)
})

test('GET /_emulator/usage answers the report as the handle does; POST /_emulator/usage/marks makes a mark; an unknown mark is 404', async (t) => {
  const fixture = await startFixture(t)
  const { client } = await fixture.connect()
  const base = `${fixture.emulator.httpUrl}/_emulator/usage`
  const made = await fetch(`${base}/marks`, { method: 'POST' })
  assert.equal(made.status, 201)
  const { mark } = (await made.json()) as { mark: string }
  assert.match(mark, /^m\d+$/)
  client.send({ action: 'echo', n: 1 })
  await client.next((f) => f.action === 'echo')
  await fixture.emulator.settled()
  const since = await fetch(`${base}?since=${mark}`)
  assert.equal(since.status, 200)
  assert.equal(since.headers.get('content-type'), 'application/json')
  const body = (await since.json()) as Awaited<ReturnType<typeof fixture.emulator.usage>>
  const handle = await fixture.emulator.usage({ since: mark })
  assert.deepEqual({ since: body.since, messages: body.apigateway.messageUnits, echo: body.lambda.functions.echo?.requests }, { since: mark, messages: 2, echo: 1 })
  assert.deepEqual({ messages: handle.apigateway.messageUnits, echo: handle.lambda.functions.echo?.requests }, { messages: 2, echo: 1 })
  const whole = (await (await fetch(base)).json()) as typeof body
  assert.equal(whole.since, 'start')
  assert.ok(whole.apigateway.connections >= 1 && whole.lambda.functions.connect.requests >= 1)
  const unknown = await fetch(`${base}?since=m999`)
  assert.equal(unknown.status, 404)
  assert.deepEqual(await unknown.json(), { code: 'UNKNOWN_MARK', message: `No usage mark m999 (marks: ${mark}; the 100 latest are kept)` })
  // Marks are bounded: the 101st pushes out the first.
  for (let i = 0; i < 100; i++) assert.equal((await fetch(`${base}/marks`, { method: 'POST' })).status, 201)
  const gone = await fetch(`${base}?since=${mark}`)
  assert.equal(gone.status, 404)
  assert.deepEqual(await gone.json(), { code: 'UNKNOWN_MARK', message: `No usage mark ${mark} (marks: m2 to m101; the 100 latest are kept)` })
  const wrong = await fetch(`${base}/marks`)
  assert.equal(wrong.status, 405)
  assert.equal((await wrong.json() as { code: string }).code, 'METHOD_NOT_ALLOWED')
})

test('a rate card override changes the prices; a bad one is refused before anything starts', async (t) => {
  const emulator = await startEmulator({ api: fixtureApi, tables, root: projectRoot, functionOutput: 'ignore', notice: () => {}, rateCard: { prices: { dynamodbWriteRequestUnits: { usd: 1.25 } } } })
  t.after(() => emulator.close())
  const db = dynamoClient(t, emulator.dynamoEndpoint)
  await db.send(new PutItemCommand({ TableName: 'units', Item: item('d', 4) }))
  assert.equal((await emulator.usage()).dynamodb.onDemandUsd, (4 * 1.25) / 1e6)
  await assert.rejects(
    startEmulator({ api: fixtureApi, tables, root: projectRoot, rateCard: { prices: { lambdaGbSeconds: { usd: '0.1' } } } }),
    { code: 'INVALID_RATE_CARD', message: 'the rateCard option: prices.lambdaGbSeconds.usd must be a number ≥ 0, got "0.1"' },
  )
})
