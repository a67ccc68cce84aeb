// One DynamoDB table from its declaration in src/tables.ts: keys, global indexes (projection ALL, as the
// emulator creates them), TTL, point-in-time recovery, KMS encryption, and either provisioned capacity
// with target-tracking autoscaling on the table and every index, or on-demand billing.
import { RemovalPolicy } from 'aws-cdk-lib'
import { AttributeType, BillingMode, ProjectionType, Table, TableEncryption, type Attribute } from 'aws-cdk-lib/aws-dynamodb'
import { Key } from 'aws-cdk-lib/aws-kms'
import { Construct } from 'constructs'
import type { KeyDeclaration, TableDeclaration } from '../src/tables.ts'
import type { CapacityConfig, StackConfig } from './stack-config.ts'

export interface DeclaredTableProps {
  readonly declaration: TableDeclaration
  readonly config: Pick<StackConfig, 'billingMode' | 'tableCapacity' | 'indexCapacity' | 'targetUtilizationPercent' | 'tableEncryption'>
  /** Production data survives a stack deletion (and cannot be deleted by accident). */
  readonly production: boolean
}

export class DeclaredTable extends Construct {
  readonly table: Table
  readonly indexNames: readonly string[]
  /** The customer managed key, when the config asks for one (callers then need kms permissions). */
  readonly key?: Key

  constructor(scope: Construct, id: string, props: DeclaredTableProps) {
    super(scope, id)
    const { declaration, config, production } = props
    const provisioned = config.billingMode === 'PROVISIONED'
    const removalPolicy = production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY
    if (config.tableEncryption === 'CUSTOMER_MANAGED') {
      this.key = new Key(this, 'Key', { description: `Encrypts the ${id} table`, enableKeyRotation: true, removalPolicy })
    }
    this.table = new Table(this, 'Table', {
      partitionKey: attribute(declaration.partitionKey),
      ...(declaration.sortKey && { sortKey: attribute(declaration.sortKey) }),
      timeToLiveAttribute: declaration.timeToLiveAttribute,
      billingMode: provisioned ? BillingMode.PROVISIONED : BillingMode.PAY_PER_REQUEST,
      ...(provisioned && { readCapacity: config.tableCapacity.read.min, writeCapacity: config.tableCapacity.write.min }),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // AWS managed key (aws/dynamodb) by default: KMS encryption whose use shows in CloudTrail, at no
      // key charge; a customer managed key adds key policy control and rotation for $1/month.
      ...(this.key
        ? { encryption: TableEncryption.CUSTOMER_MANAGED, encryptionKey: this.key }
        : { encryption: TableEncryption.AWS_MANAGED }),
      deletionProtection: production,
      removalPolicy,
    })
    for (const index of declaration.globalIndexes) {
      this.table.addGlobalSecondaryIndex({
        indexName: index.indexName,
        partitionKey: attribute(index.partitionKey),
        ...(index.sortKey && { sortKey: attribute(index.sortKey) }),
        projectionType: ProjectionType.ALL,
        ...(provisioned && { readCapacity: config.indexCapacity.read.min, writeCapacity: config.indexCapacity.write.min }),
      })
    }
    this.indexNames = declaration.globalIndexes.map((index) => index.indexName)
    if (provisioned) this.autoscale(config.tableCapacity, config.indexCapacity, config.targetUtilizationPercent)
  }

  private autoscale(tableCapacity: CapacityConfig, indexCapacity: CapacityConfig, targetUtilizationPercent: number): void {
    const target = { targetUtilizationPercent }
    this.table.autoScaleReadCapacity(scaling(tableCapacity.read)).scaleOnUtilization(target)
    this.table.autoScaleWriteCapacity(scaling(tableCapacity.write)).scaleOnUtilization(target)
    for (const indexName of this.indexNames) {
      this.table.autoScaleGlobalSecondaryIndexReadCapacity(indexName, scaling(indexCapacity.read)).scaleOnUtilization(target)
      this.table.autoScaleGlobalSecondaryIndexWriteCapacity(indexName, scaling(indexCapacity.write)).scaleOnUtilization(target)
    }
  }
}

function scaling(range: { readonly min: number; readonly max: number }): { minCapacity: number; maxCapacity: number } {
  return { minCapacity: range.min, maxCapacity: range.max }
}

const attributeTypes = { S: AttributeType.STRING, N: AttributeType.NUMBER, B: AttributeType.BINARY } as const

function attribute(key: KeyDeclaration): Attribute {
  return { name: key.name, type: attributeTypes[key.type] }
}
