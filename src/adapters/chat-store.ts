// The chat's DynamoDB adapter: the only place that knows item layouts (table-keys.ts, tables.ts,
// design.md §5), one store per concept. Every read is a GetItem or a Query; nothing here scans.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { ConnectionStore } from './connection-store.ts'
import { MembershipStore } from './membership-store.ts'
import { MessageStore } from './message-store.ts'
import { RoomStore } from './room-store.ts'
import { UserStore } from './user-store.ts'

export class ChatStore {
  readonly connections: ConnectionStore
  readonly rooms: RoomStore
  readonly messages: MessageStore
  readonly users: UserStore
  readonly memberships: MembershipStore

  constructor(db: DynamoDBDocumentClient, tableName: string) {
    this.connections = new ConnectionStore(db, tableName)
    this.rooms = new RoomStore(db, tableName)
    this.messages = new MessageStore(db, tableName)
    this.users = new UserStore(db, tableName)
    this.memberships = new MembershipStore(db, tableName)
  }
}
