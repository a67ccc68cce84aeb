// Least privilege on a table: exactly the DynamoDB actions each function's declaration lists (what its
// code calls, infra/grants.test.ts), on the table and, for Query, its index ARNs. Written out instead
// of Table.grant*Data(), which would also grant Scan, ConditionCheckItem, DescribeTable and the like.
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { TableAccess } from '../src/api-declaration.ts'
import type { DeclaredTable } from './declared-table.ts'

const writes: ReadonlySet<TableAccess> = new Set<TableAccess>(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem'])

/**
 * With a customer managed key, DynamoDB uses the key on the caller's behalf: readers need to decrypt,
 * writers also to encrypt new data keys.
 */
const readKeyActions = ['kms:Decrypt', 'kms:DescribeKey']
const writeKeyActions = [...readKeyActions, 'kms:Encrypt', 'kms:GenerateDataKey']

export function tableAccessStatements(table: DeclaredTable, access: readonly TableAccess[]): PolicyStatement[] {
  const actions = [...new Set(access)].sort()
  if (actions.length === 0) return []
  const onTable = actions.filter((a) => a !== 'Query')
  const statements: PolicyStatement[] = []
  if (onTable.length > 0) {
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: onTable.map((a) => `dynamodb:${a}`), resources: [table.table.tableArn] }))
  }
  // Only Query reads an index; the others address the table's own keys.
  if (actions.includes('Query')) {
    statements.push(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:Query'],
        resources: [table.table.tableArn, ...table.indexNames.map((name) => `${table.table.tableArn}/index/${name}`)],
      }),
    )
  }
  if (table.key) {
    const keyActions = actions.some((a) => writes.has(a)) ? writeKeyActions : readKeyActions
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions: [...keyActions].sort(), resources: [table.key.keyArn] }))
  }
  return statements
}
