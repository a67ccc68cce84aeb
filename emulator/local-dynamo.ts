// DynamoDB offline: dynalite on a worker thread, with the declared tables created in it.
import { Worker } from 'node:worker_threads'
import { once } from 'node:events'
import { CreateTableCommand, DynamoDBClient, ResourceInUseException, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb'
import type { TableDeclaration } from '../src/tables.ts'
import { localCredentials, localRegion } from './local-credentials.ts'

export interface LocalDynamo {
  readonly endpoint: string
  readonly client: DynamoDBClient
  close(): Promise<void>
}

/** `path` keeps the data on disk (dev); without it the tables live in memory (tests). */
export async function startLocalDynamo(tables: Readonly<Record<string, TableDeclaration>>, path?: string): Promise<LocalDynamo> {
  const worker = new Worker(new URL('./dynalite-worker.mjs', import.meta.url), { workerData: { path } })
  const [{ port }] = (await once(worker, 'message')) as [{ port: number }]
  const endpoint = `http://127.0.0.1:${port}`
  const client = new DynamoDBClient({ endpoint, region: localRegion, credentials: localCredentials })
  for (const [name, table] of Object.entries(tables)) await createTable(client, name, table)
  return {
    endpoint,
    client,
    async close() {
      client.destroy()
      worker.postMessage('close')
      await once(worker, 'message')
      await worker.terminate()
    },
  }
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
