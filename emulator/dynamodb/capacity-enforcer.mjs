// Provisioned capacity, enforced as DynamoDB enforces it (the emulator's `enforceProvisionedCapacity`):
// each table and index with provisioned capacity has a bucket per kind that fills at its provisioned
// units per second and holds up to 300 seconds of unused capacity (DynamoDB's burst capacity: "up to
// 5 minutes (300 seconds) of unused read and write capacity"). A request that finds a bucket it needs
// empty is refused with ProvisionedThroughputExceededException (HTTP 400), which the SDK retries;
// what an admitted request spends is taken after it ran, so a large one can leave the bucket in debt
// [INF: DynamoDB does not say how it admits a request larger than what is left].
// What a request needs: reads from the table (or the queried index); writes from the table and every
// global index, since a throttled index throttles the table's writes. Batch and transaction requests
// need every table they name [INF: DynamoDB returns unprocessed items of a partly throttled batch].
const reads = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan', 'TransactGetItems'])
const writes = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem', 'TransactWriteItems'])

export class CapacityEnforcer {
  #buckets = new Map()
  #indexes

  /** `capacity`: key (`table` or `table/index`) → { read, write } units per second; `indexes`: table → its index keys. */
  constructor(capacity, indexes, burstSeconds = 300, now = () => Date.now()) {
    this.now = now
    this.#indexes = indexes
    for (const [key, units] of Object.entries(capacity)) {
      for (const kind of ['read', 'write']) {
        const max = units[kind] * Math.max(1, burstSeconds)
        // A table that has stood unused has its whole burst capacity.
        this.#buckets.set(`${key}#${kind}`, { rate: units[kind], max, tokens: max, at: now() })
      }
    }
  }

  #bucket(key, kind) {
    const bucket = this.#buckets.get(`${key}#${kind}`)
    if (!bucket) return undefined
    const at = this.now()
    bucket.tokens = Math.min(bucket.max, bucket.tokens + ((at - bucket.at) / 1000) * bucket.rate)
    bucket.at = at
    return bucket
  }

  /** The key of the first empty bucket the request needs, or undefined when it may run. */
  refuses(operation, body) {
    const kind = reads.has(operation) ? 'read' : writes.has(operation) ? 'write' : undefined
    if (!kind) return undefined
    for (const key of this.#keysOf(operation, body, kind)) {
      const bucket = this.#bucket(key, kind)
      if (bucket && bucket.tokens <= 0) return key
    }
    return undefined
  }

  /** Units a request spent (dynamo-meter.mjs tells of each). */
  spend(key, kind, units) {
    const bucket = this.#bucket(key, kind)
    if (bucket) bucket.tokens -= units
  }

  #keysOf(operation, body, kind) {
    const tables = new Set()
    if (body.TableName) tables.add(body.TableName)
    for (const name of Object.keys(body.RequestItems ?? {})) tables.add(name)
    for (const item of body.TransactItems ?? []) for (const part of Object.values(item)) if (part?.TableName) tables.add(part.TableName)
    const keys = []
    for (const table of tables) {
      if (kind === 'read') keys.push(body.IndexName && table === body.TableName ? `${table}/${body.IndexName}` : table)
      else keys.push(table, ...(this.#indexes[table] ?? []))
    }
    return keys
  }
}
