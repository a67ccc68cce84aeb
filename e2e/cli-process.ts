// The emulator's CLI in a process (and process group) of its own, as `npm run dev` runs it, for tests
// of what only a process shows: signals, `kill -9`, exit codes, what it prints.
import { spawn, type ChildProcess } from 'node:child_process'
import { projectRoot } from './chat-emulator.ts'
import type { WithCognito } from './users.ts'
import { Waiters } from './waiters.ts'

export interface CliProcess extends WithCognito {
  readonly child: ChildProcess
  readonly stdout: () => string
  readonly stderr: () => string
  /** stdout's JSON lines (`--json-logs`: invocations and notices). */
  jsonLines(): Record<string, unknown>[]
  /** Resolves with how it ended; rejects if it is still running after `timeoutMs`. */
  exited(timeoutMs?: number): Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null }>
  /** SIGKILL to the whole process group (every thread with it). */
  killGroup(): void
}

export const chatCliArgs = ['--api', 'src/api.ts', '--tables', 'src/tables.ts', '--user-pool', 'src/user-pool.ts']

export async function startCli(args: readonly string[], timeoutMs = 60_000): Promise<CliProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', '--port', '0', ...args], {
    cwd: projectRoot,
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  })
  let out = ''
  let err = ''
  let ended: { code: number | null; signal: NodeJS.Signals | null } | undefined
  const waiters = new Waiters()
  child.stdout!.on('data', (chunk: Buffer) => {
    out += chunk
    waiters.wake()
  })
  child.stderr!.on('data', (chunk: Buffer) => {
    err += chunk
    waiters.wake()
  })
  child.once('exit', (code, signal) => {
    ended = { code, signal }
    waiters.wake()
  })
  const ready = await waiters.until(
    () => {
      if (ended) throw new Error(`the emulator exited (${ended.code ?? ended.signal}) before it was ready:\n${out}\n${err}`)
      const ws = /WebSocket\s+(ws:\/\/\S+)/.exec(out)
      const cognito = /Cognito\s+(http:\/\/\S+) \(user pool (\S+), app client (\w+)\)/.exec(out)
      return ws && cognito ? { value: { url: ws[1], endpoint: cognito[1], userPoolId: cognito[2], clientId: cognito[3] } } : undefined
    },
    timeoutMs,
    () => `the emulator to print its URLs; so far:\n${out}\n${err}`,
  )
  return {
    child,
    url: ready.url,
    cognito: { endpoint: ready.endpoint, region: 'us-east-1', userPoolId: ready.userPoolId, clientId: ready.clientId } as WithCognito['cognito'],
    stdout: () => out,
    stderr: () => err,
    jsonLines: () =>
      out
        .split('\n')
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    exited: (ms = 10_000) => waiters.until(() => (ended ? { value: ended } : undefined), ms, () => `the emulator to exit; stderr:\n${err}`),
    killGroup: () => {
      if (!ended) process.kill(-child.pid!, 'SIGKILL')
    },
  }
}
