// Starts the chat's own declarations (API, tables, user pool) in an emulator on port 0, as `npm run dev`
// would but in memory and quiet, plus the clients a test needs to look at it from outside.
import { fileURLToPath } from 'node:url'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'
import { api } from '../src/api.ts'
import { tables } from '../src/tables.ts'
import { userPool } from '../src/user-pool.ts'
import { startEmulator, type Emulator, type DeclaredOptions } from '../emulator/start-emulator.ts'
import type { InvocationLogEntry } from '../emulator/lambda/invocation-log.ts'
import { recordInvocations } from './invocation-recorder.ts'

export const projectRoot = fileURLToPath(new URL('..', import.meta.url))

export interface ChatEmulator extends Emulator {
  readonly db: DynamoDBDocumentClient
  readonly invocations: InvocationLogEntry[]
  /** Resolves with the first logged invocation (past or future) that matches, or rejects after a timeout. */
  waitFor(match: (entry: InvocationLogEntry) => boolean, timeoutMs?: number): Promise<InvocationLogEntry>
}

export async function startChatEmulator(overrides: Partial<DeclaredOptions> = {}): Promise<ChatEmulator> {
  const recorder = recordInvocations()
  const { invocations, waitFor } = recorder
  const emulator = await startEmulator({
    api,
    tables,
    userPool,
    root: projectRoot,
    functionOutput: 'ignore',
    log: recorder.log,
    ...overrides,
  })
  const raw = new DynamoDBClient({
    endpoint: emulator.dynamoEndpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
  const db = DynamoDBDocumentClient.from(raw)
  return Object.assign(Object.create(null) as object, emulator, {
    db,
    invocations,
    waitFor,
    async close() {
      raw.destroy()
      await emulator.close()
    },
  }) as ChatEmulator
}
