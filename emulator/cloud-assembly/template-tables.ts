// DynamoDB tables as a template declares them (AWS::DynamoDB::Table, and AWS::DynamoDB::GlobalTable,
// CDK's TableV2), read into table declarations, keyed by the table's local name; and the capacity
// they provision, for the usage report (its autoscaling minimum is what CDK sets as the provisioned
// throughput). Local secondary indexes have no place in a table declaration: refused, not dropped.
import type { IndexDeclaration, KeyDeclaration, KeyType, TableDeclaration } from '../../src/tables.ts'
import type { ProvisionedCapacitySetting } from '../usage/provisioned-capacity.ts'
import { CloudAssemblyError } from './cloud-assembly-error.ts'
import { unresolved } from './intrinsics.ts'

type Props = Record<string, any>

export interface TemplateTable {
  readonly name: string
  readonly declaration: TableDeclaration
  readonly capacity: ProvisionedCapacitySetting
}

export function templateTable(logicalId: string, name: string, p: Props): TemplateTable {
  const where = `${logicalId}.Properties`
  if (Array.isArray(p.LocalSecondaryIndexes) && p.LocalSecondaryIndexes.length > 0) {
    throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.LocalSecondaryIndexes: local secondary indexes are not emulated`)
  }
  const types = new Map<string, KeyType>((p.AttributeDefinitions ?? []).map((a: Props) => [a.AttributeName, a.AttributeType]))
  const keys = (schema: unknown, at: string): { partitionKey: KeyDeclaration; sortKey?: KeyDeclaration } => {
    const list = (Array.isArray(schema) ? schema : []) as Props[]
    const key = (kind: 'HASH' | 'RANGE'): KeyDeclaration | undefined => {
      const found = list.find((k) => k.KeyType === kind)
      if (!found) return undefined
      const type = types.get(found.AttributeName)
      if (type !== 'S' && type !== 'N' && type !== 'B') throw unresolved(`${at}`, `key ${found.AttributeName} has no S, N or B type in AttributeDefinitions`)
      return { name: found.AttributeName, type }
    }
    const partitionKey = key('HASH')
    if (!partitionKey) throw unresolved(at, 'no HASH key')
    const sortKey = key('RANGE')
    return { partitionKey, ...(sortKey && { sortKey }) }
  }
  const globalIndexes: IndexDeclaration[] = ((p.GlobalSecondaryIndexes ?? []) as Props[]).map((index, i) => ({
    indexName: index.IndexName,
    ...keys(index.KeySchema, `${where}.GlobalSecondaryIndexes[${i}].KeySchema`),
  }))
  const ttl = p.TimeToLiveSpecification
  const declaration: TableDeclaration = {
    ...keys(p.KeySchema, `${where}.KeySchema`),
    globalIndexes,
    ...(ttl?.Enabled === true && typeof ttl.AttributeName === 'string' && { timeToLiveAttribute: ttl.AttributeName }),
  }
  const capacity: Record<string, { read: number; write: number }> = {}
  const provisioned = (throughput: Props | undefined) =>
    throughput && { read: Number(throughput.ReadCapacityUnits), write: Number(throughput.WriteCapacityUnits) }
  if (p.BillingMode !== 'PAY_PER_REQUEST') {
    const table = provisioned(p.ProvisionedThroughput)
    if (table) capacity[name] = table
    for (const index of (p.GlobalSecondaryIndexes ?? []) as Props[]) {
      const units = provisioned(index.ProvisionedThroughput)
      if (units) capacity[`${name}/${index.IndexName}`] = units
    }
  }
  return { name, declaration, capacity }
}
