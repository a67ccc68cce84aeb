// Least privilege on a table: exactly the DynamoDB actions each declared access needs, on the table and
// (for queries) its index ARNs. Written out instead of Table.grant*Data(), which would also grant
// Scan, ConditionCheckItem, DescribeTable and the like. No access ever includes Scan.
import { Effect, PolicyStatement } from 'aws-cdk-lib/aws-iam'
import type { TableAccess } from '../src/api-declaration.ts'
import type { DeclaredTable } from './declared-table.ts'

export const tableAccessActions: Readonly<Record<TableAccess, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  query: ['dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
}

/**
 * With a customer managed key, DynamoDB uses the key on the caller's behalf: readers need to decrypt,
 * writers also to encrypt new data keys.
 */
const keyActions: Readonly<Record<TableAccess, readonly string[]>> = {
  read: ['kms:Decrypt', 'kms:DescribeKey'],
  query: ['kms:Decrypt', 'kms:DescribeKey'],
  write: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey'],
}

export function tableAccessStatements(table: DeclaredTable, access: readonly TableAccess[]): PolicyStatement[] {
  const statements = [...new Set(access)].map(
    (kind) =>
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: [...tableAccessActions[kind]],
        // Only Query reads an index; Get/Put/Update/Delete address the table's own keys.
        resources: kind === 'query' ? [table.table.tableArn, ...table.indexNames.map((name) => `${table.table.tableArn}/index/${name}`)] : [table.table.tableArn],
      }),
  )
  if (table.key && access.length > 0) {
    const actions = [...new Set(access.flatMap((kind) => keyActions[kind]))].sort()
    statements.push(new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [table.key.keyArn] }))
  }
  return statements
}
