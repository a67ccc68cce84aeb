// DynamoDB offline: dynalite on a worker thread, with the declared tables created in it. When its
// thread dies, the emulator says so once and keeps answering on the same port as DynamoDB answers a
// failure it cannot handle (HTTP 500 `InternalServerError`), so handlers fail as they would on AWS
// and `close()` still resolves.
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads'
import { createServer, type Server } from 'node:http'
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { TableDeclaration } from '../../src/tables.ts'
import { localCredentials, localRegion } from '../local-credentials.ts'
import type { NoticeLogger } from '../notices.ts'

export interface LocalDynamo {
  readonly endpoint: string
  /**
   * A port straight to dynalite's thread, for one sandbox's fast path (lambda/fast-path.ts): its
   * messages are the SDK's requests, answered as over HTTP. Undefined once dynalite has stopped.
   */
  connect(): { readonly origin: string; readonly port: MessagePort } | undefined
  readonly client: DynamoDBClient
  /** Fault switch: ends dynalite's thread as a fatal error would. */
  crash(): Promise<void>
  /** Fault switch: every call from this function (its endpoint path, `/fn/<name>/`) waits `ms` first. */
  delay(caller: string, ms: number): void
  /** The operations each function has called, by endpoint path (`''`: callers without one). */
  calls(): Promise<Record<string, Record<string, number>>>
  /** The capacity units each function has spent, per table and `table/index` (dynamo-meter.mjs). */
  usage(): Promise<DynamoUsage>
  /** The units spent, and per table and index the most spent in any one second since start. */
  meter(): Promise<{ readonly usage: DynamoUsage; readonly peaks: DynamoPeaks }>
  close(): Promise<void>
}

/** Caller → table or `table/index` → read and write units. */
export type DynamoUsage = Record<string, Record<string, { read: number; write: number }>>

/** Table or `table/index` → the most read and write units spent in any one second, and the requests refused as over provisioned capacity. */
export type DynamoPeaks = Record<string, { read: number; write: number; throttled: number }>

/** Provisioned capacity to enforce (capacity-enforcer.mjs): per table or `table/index`, units per second. */
export interface EnforcedCapacity {
  readonly capacity: Readonly<Record<string, { readonly read: number; readonly write: number }>>
  /** DynamoDB keeps up to 300 s of unused capacity. */
  readonly burstSeconds?: number
}

type WorkerMessage =
  | { kind: 'listening'; port: number }
  | { kind: 'fault'; code: string; detail: string }
  | { kind: 'closed' }
  | { kind: 'calls'; calls: Record<string, Record<string, number>>; usage: DynamoUsage; peaks: DynamoPeaks }

/** How long dynalite may take to flush and close before its thread is ended anyway. */
const closeGraceMs = 3000

/** `path` keeps the data on disk (dev); without it the tables live in memory (tests). */
export async function startLocalDynamo(
  tables: Readonly<Record<string, TableDeclaration>>,
  options: { path?: string; notice: NoticeLogger; enforce?: EnforcedCapacity },
): Promise<LocalDynamo> {
  const indexes = Object.fromEntries(Object.entries(tables).map(([name, table]) => [name, table.globalIndexes.map((index) => `${name}/${index.indexName}`)]))
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), {
    workerData: { path: options.path, ...(options.enforce && { enforce: { capacity: options.enforce.capacity, burstSeconds: options.enforce.burstSeconds ?? 300, indexes } }) },
    // Plain JavaScript: it needs none of the parent's loaders (tsx's costs ~110 ms of start).
    execArgv: [],
  })
  let closing = false
  let fallback: Server | undefined
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`dynalite exited with ${code} before it listened`)))
    worker.on('message', (message: WorkerMessage) => {
      if (message.kind === 'listening') resolve(message.port)
      else if (message.kind === 'fault') options.notice({ kind: 'dynamodb-fault', code: message.code, detail: `${message.code}: ${message.detail}` })
    })
  })
  worker.removeAllListeners('error')
  worker.removeAllListeners('exit')
  const died = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
  worker.on('error', () => {})
  worker.once('exit', (code) => {
    if (closing) return
    options.notice({ kind: 'dynamodb-stopped', detail: `its thread exited with code ${code}` })
    fallback = answerInternalServerError(port)
  })

  const counts = (): Promise<{ calls: Record<string, Record<string, number>>; usage: DynamoUsage; peaks: DynamoPeaks }> => {
    if (fallback) return Promise.resolve({ calls: {}, usage: {}, peaks: {} })
    if (closing) return Promise.reject(Object.assign(new Error('The local DynamoDB has closed: its counts went with it'), { code: 'EMULATOR_CLOSED' }))
    return new Promise((resolve) => {
      const answer = (message: WorkerMessage) => {
        if (message.kind !== 'calls') return
        worker.off('message', answer)
        resolve(message)
      }
      worker.on('message', answer)
      worker.postMessage('calls')
    })
  }
  const endpoint = `http://127.0.0.1:${port}`
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials })
  try {
    for (const [name, table] of Object.entries(tables)) await createTable(client, name, table)
  } catch (error) {
    closing = true
    client.destroy()
    await worker.terminate()
    throw error
  }
  return {
    endpoint,
    client,
    connect() {
      if (fallback) return undefined
      const { port1, port2 } = new MessageChannel()
      worker.postMessage({ kind: 'connect', port: port1 }, [port1])
      return { origin: `127.0.0.1:${port}`, port: port2 }
    },
    async crash() {
      worker.postMessage('crash')
      await died
    },
    delay(caller, ms) {
      worker.postMessage({ kind: 'delay', caller, ms })
    },
    calls: async () => (await counts()).calls,
    usage: async () => (await counts()).usage,
    meter: async () => {
      const { usage, peaks } = await counts()
      return { usage, peaks }
    },
    async close() {
      closing = true
      client.destroy()
      if (fallback) return void (await new Promise((resolve) => fallback!.close(resolve)))
      worker.postMessage('close')
      const closed = new Promise<void>((resolve) => worker.on('message', (message: WorkerMessage) => message.kind === 'closed' && resolve()))
      let timer: NodeJS.Timeout | undefined
      await Promise.race([closed, died, new Promise((resolve) => (timer = setTimeout(resolve, closeGraceMs)))])
      clearTimeout(timer)
      await worker.terminate()
    },
  }
}

/** What is left of DynamoDB once dynalite is gone: every request is an internal failure. */
function answerInternalServerError(port: number): Server {
  const body = JSON.stringify({ __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message: 'The local DynamoDB (dynalite) has stopped; restart the emulator' })
  const server = createServer((req, res) => {
    req.resume()
    res.on('error', () => {})
    res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) })
    res.end(body)
  })
  server.on('error', () => {})
  server.listen(port, '127.0.0.1')
  return server
}

async function createTable(client: DynamoDBClient, name: string, table: TableDeclaration): Promise<void> {
  const keys = [table.partitionKey, table.sortKey, ...table.globalIndexes.flatMap((i) => [i.partitionKey, i.sortKey])]
  const attributes = new Map(keys.filter((k) => k !== undefined).map((k) => [k.name, k.type]))
  const keySchema = (pk: { name: string }, sk?: { name: string }) => [
    { AttributeName: pk.name, KeyType: 'HASH' as const },
    ...(sk ? [{ AttributeName: sk.name, KeyType: 'RANGE' as const }] : []),
  ]
  const input: CreateTableCommandInput = {
    TableName: name,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map(([AttributeName, AttributeType]) => ({ AttributeName, AttributeType })),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalIndexes.length > 0
      ? {
          GlobalSecondaryIndexes: table.globalIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'ALL' as const },
          })),
        }
      : {}),
  }
  try {
    await client.send(new CreateTableCommand(input))
  } catch (error) {
    // On disk, the table survives from the last run.
    if (!(error instanceof ResourceInUseException)) throw error
  }
}
