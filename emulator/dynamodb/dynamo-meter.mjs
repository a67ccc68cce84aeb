// DynamoDB's capacity units, counted as DynamoDB bills them, for every request dynalite serves: the
// unit a caller (a function, by its endpoint path) spends on each table and each index. dynalite
// reports capacity only when asked, leaves out index writes and failed conditional writes, and
// rounds its own way, so the meter hooks its storage functions instead (they see the item before
// and after every write) and computes:
//   - a write: ceil(size / 1 KB) of the larger of the item before and after, at least 1; a write
//     whose condition fails still consumes, by the size of the item it found (at least 1);
//   - each global index the write touches: ceil(size / 1 KB) of the index item written, and as much
//     again for the one removed when the index keys changed (projection ALL: the whole item);
//   - a GetItem: ceil(size / 4 KB), at least 1, half for an eventually consistent read;
//   - a Query: ceil(total size of the items it read / 4 KB), at least 1 (INF), half when eventually
//     consistent (index queries always are); sizes are dynalite's here, which counts a string's
//     UTF-16 units rather than its UTF-8 bytes (the same for ASCII).
// Item sizes follow DynamoDB's rules: attribute names and values, UTF-8.
import { createRequire } from 'node:module'

const db = createRequire(import.meta.url)('dynalite/db')

/**
 * `current()`: the usage record of the request being served (its async context), if any;
 * `spent(key, kind, units)`: told of every unit spent, whoever spent it (for per-second peaks).
 */
export function installMeter(current, spent = () => {}) {
  const add = (table, index, kind, units) => {
    const usage = current()
    if (!usage || !(units > 0)) return
    const key = index ? `${table}/${index}` : table
    const entry = (usage[key] ??= { read: 0, write: 0 })
    entry[kind] += units
    spent(key, kind, units)
  }

  const addConsumedCapacity = db.addConsumedCapacity
  db.addConsumedCapacity = (data, isRead, newItem, oldItem) => {
    if (isRead) add(data.TableName, undefined, 'read', Math.max(1, Math.ceil(itemSize(newItem) / 4096)) / (data.ConsistentRead ? 1 : 2))
    else add(data.TableName, undefined, 'write', Math.max(1, kb(newItem), kb(oldItem)))
    return addConsumedCapacity(data, isRead, newItem, oldItem)
  }

  const checkConditional = db.checkConditional
  db.checkConditional = (data, existingItem) => {
    const failed = checkConditional(data, existingItem)
    if (failed) add(data.TableName, undefined, 'write', Math.max(1, kb(existingItem)))
    return failed
  }

  const updateIndexes = db.updateIndexes
  db.updateIndexes = (store, table, oldItem, newItem, cb) => {
    for (const index of table.GlobalSecondaryIndexes ?? []) {
      const keys = index.KeySchema.map((k) => k.AttributeName)
      const before = oldItem && keys.every((k) => oldItem[k] !== undefined) ? oldItem : undefined
      const after = newItem && keys.every((k) => newItem[k] !== undefined) ? newItem : undefined
      const sameKeys = before && after && keys.every((k) => JSON.stringify(before[k]) === JSON.stringify(after[k]))
      let units = 0
      if (sameKeys) units = JSON.stringify(before) === JSON.stringify(after) ? 0 : Math.max(1, kb(after))
      else units = (before ? Math.max(1, kb(before)) : 0) + (after ? Math.max(1, kb(after)) : 0)
      add(table.TableName, index.IndexName, 'write', units)
    }
    return updateIndexes(store, table, oldItem, newItem, cb)
  }

  const queryTable = db.queryTable
  db.queryTable = (store, table, data, opts, isLocal, fetchFromItemDb, startKeyNames, cb) => {
    const asked = data.ReturnConsumedCapacity
    data.ReturnConsumedCapacity = 'INDEXES'
    return queryTable(store, table, data, opts, isLocal, fetchFromItemDb, startKeyNames, (error, result) => {
      data.ReturnConsumedCapacity = asked
      if (result?.ConsumedCapacity) {
        const index = data.IndexName
        const units = index ? result.ConsumedCapacity.GlobalSecondaryIndexes?.[index]?.CapacityUnits : result.ConsumedCapacity.Table?.CapacityUnits
        add(data.TableName, index, 'read', Math.max(data.ConsistentRead ? 1 : 0.5, units ?? 0))
        if (asked !== 'TOTAL' && asked !== 'INDEXES') delete result.ConsumedCapacity
      }
      cb(error, result)
    })
  }
}

const kb = (item) => (item ? Math.ceil(itemSize(item) / 1024) : 0)

/** DynamoDB's item size: every attribute's name and value, UTF-8. */
export function itemSize(item) {
  if (!item) return 0
  let size = 0
  for (const [name, value] of Object.entries(item)) size += Buffer.byteLength(name) + valueSize(value)
  return size
}

function valueSize(value) {
  const [type, v] = Object.entries(value)[0]
  switch (type) {
    case 'S':
      return Buffer.byteLength(v)
    case 'N':
      return numberSize(v)
    case 'B':
      return Buffer.from(v, 'base64').length
    case 'BOOL':
    case 'NULL':
      return 1
    case 'SS':
      return v.reduce((sum, s) => sum + Buffer.byteLength(s), 0)
    case 'NS':
      return v.reduce((sum, n) => sum + numberSize(n), 0)
    case 'BS':
      return v.reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0)
    case 'L':
      return 3 + v.reduce((sum, e) => sum + 1 + valueSize(e), 0)
    case 'M':
      return 3 + Object.entries(v).reduce((sum, [k, e]) => sum + 1 + Buffer.byteLength(k) + valueSize(e), 0)
    default:
      return 0
  }
}

/** A number takes one byte per two significant digits, plus one. */
function numberSize(text) {
  const digits = String(text).replace(/^-/, '').replace(/e.*$/i, '').replace('.', '').replace(/^0+/, '').replace(/0+$/, '')
  return 1 + Math.ceil(Math.max(1, digits.length) / 2)
}
