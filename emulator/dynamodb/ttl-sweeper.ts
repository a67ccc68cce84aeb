// DynamoDB Time to Live, which dynalite lacks (design.md §3.5): every `intervalMs` the emulator scans
// each table that declares a TTL attribute and deletes the items whose expiry has passed. Scanning is
// fine here: this is the database's own background process, not application code.
import { DeleteItemCommand, ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb'
import type { TableDeclaration } from '../../src/tables.ts'

export interface TtlSweeperOptions {
  readonly client: DynamoDBClient
  readonly tables: Readonly<Record<string, TableDeclaration>>
  /** Time between the end of one sweep and the start of the next; 0 sweeps only when asked. */
  readonly intervalMs: number
  /** Epoch milliseconds (a test clock may replace it). */
  readonly now?: () => number
}

export interface TtlSweeper {
  /** Runs one sweep now (or joins the one running), or as it would run at `asOf`; resolves with the number deleted. */
  sweep(asOf?: number): Promise<number>
  /** Stops sweeping, waiting for a sweep in progress. */
  stop(): Promise<void>
}

/**
 * DynamoDB's TTL rules: the attribute must be a Number of epoch seconds, the item expires once that
 * time is in the past, and items whose expiry lies more than five years in the past are ignored
 * (a value in milliseconds, say, is not an expiry).
 */
const ignoredAfterSeconds = 5 * 365 * 24 * 60 * 60

export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const now = options.now ?? Date.now
  const swept = Object.entries(options.tables).filter(([, table]) => table.timeToLiveAttribute !== undefined)
  let running: Promise<number> | undefined
  let stopped = false
  let timer: NodeJS.Timeout | undefined

  const sweep = (asOf?: number): Promise<number> => {
    running ??= (async () => {
      try {
        let deleted = 0
        for (const [name, table] of swept) deleted += await sweepTable(options.client, name, table, (asOf ?? now()) / 1000)
        return deleted
      } finally {
        running = undefined
      }
    })()
    return running
  }

  const schedule = () => {
    if (stopped || options.intervalMs <= 0 || swept.length === 0) return
    timer = setTimeout(() => {
      sweep()
        // A failed sweep (e.g. the store closing) is retried at the next interval.
        .catch(() => 0)
        .finally(schedule)
    }, options.intervalMs)
    timer.unref()
  }
  schedule()

  return {
    sweep,
    async stop() {
      stopped = true
      clearTimeout(timer)
      await running?.catch(() => 0)
    },
  }
}

async function sweepTable(client: DynamoDBClient, name: string, table: TableDeclaration, nowSeconds: number): Promise<number> {
  const ttl = table.timeToLiveAttribute!
  const keyNames = [table.partitionKey.name, ...(table.sortKey ? [table.sortKey.name] : [])]
  const names: Record<string, string> = { '#ttl': ttl }
  keyNames.forEach((key, i) => (names[`#k${i}`] = key))
  let deleted = 0
  let startKey: Record<string, AttributeValue> | undefined
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: name,
        // A comparison with a Number is false for any other type, so only Number expiries match.
        FilterExpression: '#ttl < :now AND #ttl > :floor',
        ProjectionExpression: ['#ttl', ...keyNames.map((_, i) => `#k${i}`)].join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: { ':now': { N: String(nowSeconds) }, ':floor': { N: String(nowSeconds - ignoredAfterSeconds) } },
        ExclusiveStartKey: startKey,
      }),
    )
    for (const item of page.Items ?? []) {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: name,
            Key: Object.fromEntries(keyNames.map((key) => [key, item[key]])),
            // Someone may have extended the item's life since the scan read it.
            ConditionExpression: '#ttl = :seen',
            ExpressionAttributeNames: { '#ttl': ttl },
            ExpressionAttributeValues: { ':seen': item[ttl] },
          }),
        )
        deleted++
      } catch (error) {
        if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error
      }
    }
    startKey = page.LastEvaluatedKey
  } while (startKey)
  return deleted
}
