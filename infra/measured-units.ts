// What one connect, join, send and disconnect really cost in DynamoDB capacity units, per table and
// per index, as AWS bills them: measured by the emulator's meter (emulator/dynamodb/dynamo-meter.mjs) running
// the chat's own handlers, in e2e/capacity-units.test.ts, which fails the moment these drift from
// the code. The capacity plan (capacity-plan.ts) and the README's figures are computed from them.

export interface Units {
  readonly read: number
  readonly write: number
}

export interface FlowUnits {
  readonly table: Units
  /** gsi1 (a user's connections, the room list, the direct-conversation lists). */
  readonly index: Units
}

export const measuredUnits = {
  /** $connect: the connection, the user's profile and the lobby listener (one BatchWriteItem). */
  connect: { table: { read: 0, write: 3 }, index: { read: 0, write: 1 } },
  /** joinroom of a room that exists, by a connection's first tab there, with 2 others in it (the user's room kept with the account included). */
  join: { table: { read: 3.5, write: 5 }, index: { read: 0, write: 3 } },
  /**
   * sendmessage with a clientMessageId (as the page sends), to a room of 3: the claim, the rate
   * budget, the message, the claim's completion and the room's activity (a conditional write
   * consumes even when its condition fails).
   */
  send: { table: { read: 2, write: 5 }, index: { read: 0, write: 0 } },
  /** What the page reads when it opens: listrooms (20 rooms at most; here one, and the user's rooms) and listdirects. */
  open: { table: { read: 3, write: 0 }, index: { read: 1, write: 0 } },
  /** $disconnect of a connection in one room (besides the lobby), whose user leaves it. */
  disconnect: { table: { read: 1, write: 4 }, index: { read: 0, write: 3 } },
} as const satisfies Record<string, FlowUnits>
