// The tables, declared once as plain data. infra/ turns this into a DynamoDB table; the emulator
// creates the same table in dynalite and expires items by `timeToLiveAttribute` (dynalite has no TTL).

export type KeyType = 'S' | 'N' | 'B'

export interface KeyDeclaration {
  readonly name: string
  readonly type: KeyType
}

export interface IndexDeclaration {
  readonly indexName: string
  readonly partitionKey: KeyDeclaration
  readonly sortKey?: KeyDeclaration
}

export interface TableDeclaration {
  readonly partitionKey: KeyDeclaration
  readonly sortKey?: KeyDeclaration
  readonly globalIndexes: readonly IndexDeclaration[]
  /** Attribute holding an epoch-seconds expiry; DynamoDB deletes the item some time after it passes. */
  readonly timeToLiveAttribute?: string
}

/**
 * The single chat table (design.md §5):
 * - connection            pk CONN#<connId>  sk META          gsi1 USER#<userId> / CONN#<connId>
 * - live member of a room pk ROOM#<room>    sk CONN#<connId> gsi1 CONN#<connId> / ROOM#<room>
 * - message               pk ROOM#<room>    sk MSG#<id>
 * - a user's joined room  pk USER#<userId>  sk ROOM#<room>
 */
export const tables = {
  chat: {
    partitionKey: { name: 'pk', type: 'S' },
    sortKey: { name: 'sk', type: 'S' },
    globalIndexes: [
      {
        indexName: 'gsi1',
        partitionKey: { name: 'gsi1pk', type: 'S' },
        sortKey: { name: 'gsi1sk', type: 'S' },
      },
    ],
    timeToLiveAttribute: 'ttl',
  },
} as const satisfies Record<string, TableDeclaration>

export type TableId = keyof typeof tables
