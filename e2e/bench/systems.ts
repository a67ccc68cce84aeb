// The systems the benchmark compares, each started fresh in its own process for every scenario:
// - `ws`: the plain `ws` broadcast server (the baseline; plain-ws-server.ts);
// - `sample`: the AWS-sample-style app (e2e/fixtures/standalone/: onconnect puts the connectionId,
//   sendmessage Scans and posts to each through @connections) on the emulator, no authorizer;
// - `chat`: the chat itself on the emulator (src/api.ts): the authorizer verifies a Cognito token on
//   every connect, messages go to a room (`lobby`), acks come back.
// Each knows how its clients connect (the chat's sign in first: bench-users.ts) and which protocol
// they speak (load-client.ts).
import { startEmulatorProcess } from './emulator-process.ts'
import { startPlainWsServer } from './plain-ws-server.ts'
import { userUrls } from './bench-users.ts'
import type { Protocol } from './load-client.ts'
import { usageClient } from './usage-cost.ts'

export type SystemId = 'ws' | 'sample' | 'chat'
export const systemIds: readonly SystemId[] = ['ws', 'sample', 'chat']

export interface System {
  readonly id: SystemId
  /** How the report names it. */
  readonly name: string
  readonly protocol: Protocol
  /** True when its server is the emulator (its memory is reported at idle, 1,000 connections and the heaviest rung). */
  readonly emulated: boolean
  start(): Promise<RunningSystem>
}

export interface RunningSystem {
  /** The server process whose CPU and memory are measured. */
  readonly pid: number
  /** One URL per connection (the chat's carry signed-in users' tokens; signing in is not measured). */
  clientUrls(connections: number): Promise<string[]>
  /** The emulator's usage report (usage-cost.ts); absent for plain `ws`. */
  readonly usage?: ReturnType<typeof usageClient>
  close(): Promise<void>
}

const sampleDeclaration = ['--api', 'e2e/fixtures/standalone/api.ts', '--tables', 'e2e/fixtures/standalone/tables.ts', '--root', 'e2e/fixtures/standalone']

export const systems: Record<SystemId, System> = {
  ws: {
    id: 'ws',
    name: 'plain ws',
    protocol: 'data',
    emulated: false,
    async start() {
      const server = await startPlainWsServer()
      return { pid: server.pid, clientUrls: async (n) => Array.from({ length: n }, () => server.url), close: () => server.close() }
    },
  },
  sample: {
    id: 'sample',
    name: 'AWS sample on emulator',
    protocol: 'data',
    emulated: true,
    async start() {
      const emu = await startEmulatorProcess({ declaration: sampleDeclaration })
      return { pid: emu.pid, clientUrls: async (n) => Array.from({ length: n }, () => emu.url), usage: usageClient(emu.httpUrl), close: () => emu.close() }
    },
  },
  chat: {
    id: 'chat',
    name: 'chat on emulator',
    protocol: 'chat',
    emulated: true,
    async start() {
      const emu = await startEmulatorProcess()
      return { pid: emu.pid, clientUrls: (n) => userUrls(emu, n), usage: usageClient(emu.httpUrl), close: () => emu.close() }
    },
  },
}

/** BENCH_SYSTEMS, e.g. `ws,sample` (default: all three). */
export function chosenSystems(list = process.env.BENCH_SYSTEMS): SystemId[] {
  if (!list) return [...systemIds]
  const ids = list.split(',').map((s) => s.trim()).filter(Boolean)
  for (const id of ids) if (!systemIds.includes(id as SystemId)) throw new Error(`unknown system ${id}; choose from ${systemIds.join(', ')}`)
  return ids as SystemId[]
}
