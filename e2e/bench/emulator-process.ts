// The system under test, in its own process (as `npm run dev` runs it), so the load generator's
// work does not count against it and its resident memory can be read on its own. The benchmark runs
// it quiet and unthrottled; the chaos campaign runs it as `npm run dev` does (on-disk data, the web
// page, throttling) with JSON invocation logs, in its own process group so it can be killed whole.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'
import type { InvocationLogEntry } from '../../emulator/lambda/invocation-log.ts'
import { Waiters } from '../waiters.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface EmulatorProcessOptions {
  /** The declaration flags (default: the chat's API, tables and user pool). */
  readonly declaration?: readonly string[]
  /** `--data`: keep DynamoDB data, the pool's keys and its users in this folder (in memory when absent). */
  readonly data?: string
  /** `--web`: serve this folder as the page (relative to the project root), e.g. `src/web`. */
  readonly web?: string
  /** `--json-logs`: one JSON line per invocation, collected in `log`. Otherwise `--quiet`. */
  readonly jsonLogs?: boolean
  /** Keep the declaration's stage throttling (default: `--no-throttle`, for load figures). */
  readonly throttle?: boolean
  /** Default 0 (a free port); a restart passes the previous one so clients find it again. */
  readonly port?: number
  /** Spawn detached, as the leader of its own process group; killed with the parent on exit. */
  readonly ownProcessGroup?: boolean
}

export interface ExitStatus {
  readonly code: number | null
  readonly signal: NodeJS.Signals | null
}

export interface EmulatorProcess {
  readonly url: string
  /** `http://127.0.0.1:<port>`: the page, the local Cognito and `@connections` live here. */
  readonly httpUrl: string
  readonly port: number
  /** The local Cognito's endpoint, pool and app client, as printed at start ('' for an API that does not use it). */
  readonly cognito: { readonly endpoint: string; readonly region: string; readonly userPoolId: string; readonly clientId: string }
  readonly pid: number
  /** The process group (the pid itself with `ownProcessGroup`). */
  readonly pgid: number | undefined
  /** Invocation log lines read from stdout (with `jsonLogs`), oldest first. */
  readonly log: InvocationLogEntry[]
  /** The first log line from index `from` on that matches; rejects after `timeoutMs`. */
  waitForLog(match: (entry: InvocationLogEntry) => boolean, from?: number, timeoutMs?: number): Promise<InvocationLogEntry>
  /** The last lines it wrote to stderr (at most 200). */
  stderrTail(lines?: number): string[]
  /** With `jsonLogs`: the last lines it wrote to stdout that are no invocation log line (at most 200), e.g. the bill on Ctrl-C. */
  stdoutTail(lines?: number): string[]
  /** With `jsonLogs`: the first such line from index `from` on (counting every one written) that matches; rejects after `timeoutMs`. */
  waitForOutput(match: (line: string) => boolean, from?: number, timeoutMs?: number): Promise<{ line: string; index: number }>
  /** Resolves when the process has exited, however it ended. */
  readonly exited: Promise<ExitStatus>
  /** Undefined while it runs. */
  exitStatus(): ExitStatus | undefined
  /** Resident set size in MiB, read from /proc (Linux). */
  rssMb(): Promise<number>
  /** Proportional set size in MiB, from /proc/<pid>/smaps_rollup (Linux). */
  pssMb(): Promise<number>
  /** Sends `signal` to the whole process group (or the process, without one). */
  kill(signal: NodeJS.Signals): void
  /** SIGINT, as Ctrl-C in `npm run dev`; resolves once it has exited. */
  close(): Promise<void>
}

export async function startEmulatorProcess(options: EmulatorProcessOptions = {}): Promise<EmulatorProcess> {
  const args = [...(options.declaration ?? ['--api', 'src/api.ts', '--tables', 'src/tables.ts', '--user-pool', 'src/user-pool.ts'])]
  if (options.web) args.push('--web', options.web)
  if (options.data) args.push('--data', options.data)
  args.push(options.jsonLogs ? '--json-logs' : '--quiet', '--port', String(options.port ?? 0))
  if (!options.throttle) args.push('--no-throttle')
  const child: ChildProcess = spawn(
    process.execPath,
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof", profiles the emulator (workers too).
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'emulator/cli.ts', ...args],
    {
      cwd: root,
      env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      stdio: ['ignore', 'pipe', options.ownProcessGroup ? 'pipe' : 'inherit'],
      detached: options.ownProcessGroup ?? false,
    },
  )
  const pgid = options.ownProcessGroup ? child.pid : undefined
  const kill = (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return
    try {
      if (pgid !== undefined) process.kill(-pgid, signal)
      else child.kill(signal)
    } catch {
      // Already gone.
    }
  }
  // A detached group outlives its parent unless someone ends it.
  const killOnExit = () => kill('SIGKILL')
  if (pgid !== undefined) process.once('exit', killOnExit)
  let status: ExitStatus | undefined
  const exited = new Promise<ExitStatus>((resolve) =>
    child.once('exit', (code, signal) => {
      status = { code, signal }
      process.off('exit', killOnExit)
      resolve(status)
    }),
  )
  const stderr: string[] = []
  let stderrPartial = ''
  child.stderr?.on('data', (chunk: Buffer) => {
    const lines = (stderrPartial + chunk.toString()).split('\n')
    stderrPartial = lines.pop()!
    stderr.push(...lines)
    if (stderr.length > 400) stderr.splice(0, stderr.length - 200)
  })
  const log: InvocationLogEntry[] = []
  const otherOut: string[] = []
  let dropped = 0
  const waiters = new Waiters()
  let out = ''
  let started = false
  let partial = ''
  const ready = new Promise<string[]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 30_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      if (!started) {
        out += chunk
        const ws = /WebSocket\s+(ws:\/\/\S+)/.exec(out)
        // The banner ends with the Ctrl-C line; the Cognito line is there only for an API that uses it.
        const cognito = /Cognito\s+(http:\/\/\S+) \(user pool (\S+), app client (\w+)/.exec(out)
        if (ws && /Ctrl-C stops it/.test(out)) {
          started = true
          clearTimeout(timer)
          resolve([ws[1]!, cognito?.[1] ?? '', cognito?.[2] ?? '', cognito?.[3] ?? ''])
        }
      }
      if (!options.jsonLogs) return
      const lines = (partial + chunk.toString()).split('\n')
      partial = lines.pop()!
      for (const line of lines) {
        const entry = invocationOf(line)
        if (entry) log.push(entry)
        else otherOut.push(line)
      }
      if (otherOut.length > 400) dropped += otherOut.splice(0, otherOut.length - 200).length
      waiters.wake()
    })
    void exited.then((s) => reject(new Error(`emulator exited (${s.signal ?? s.code}): ${out}\n${[...stderr, stderrPartial].join('\n')}`)))
  })
  const [url, cognitoEndpoint, userPoolId, clientId] = await ready.catch((error: unknown) => {
    kill('SIGKILL')
    throw error
  })
  child.stdout!.resume()
  // One HTTP server carries the WebSocket, the local Cognito and @connections.
  const httpUrl = `http://${new URL(url).host}`
  const port = Number(new URL(httpUrl).port)
  return {
    url,
    httpUrl,
    port,
    cognito: { endpoint: cognitoEndpoint, region: 'us-east-1', userPoolId, clientId },
    pid: child.pid!,
    pgid,
    log,
    waitForLog(match, from = 0, timeoutMs = 5000) {
      return waiters.until(
        () => {
          for (let i = from; i < log.length; i++) if (match(log[i])) return { value: log[i] }
          return undefined
        },
        timeoutMs,
        () => `a matching invocation log line (${log.length - from} lines since ${from})`,
      )
    },
    stderrTail: (lines = 20) => [...stderr, ...(stderrPartial ? [stderrPartial] : [])].slice(-lines),
    stdoutTail: (lines = 20) => [...otherOut, ...(partial ? [partial] : [])].slice(-lines),
    waitForOutput(match, from = 0, timeoutMs = 5000) {
      return waiters.until(
        () => {
          for (let i = Math.max(from, dropped); i < dropped + otherOut.length; i++) if (match(otherOut[i - dropped])) return { value: { line: otherOut[i - dropped], index: i } }
          return undefined
        },
        timeoutMs,
        () => `a matching line on stdout (last: ${otherOut.at(-1) ?? 'none'})`,
      )
    },
    exited,
    exitStatus: () => status,
    async rssMb() {
      const text = await readFile(`/proc/${child.pid}/status`, 'utf8')
      return Number(/VmRSS:\s+(\d+) kB/.exec(text)![1]) / 1024
    },
    async pssMb() {
      const text = await readFile(`/proc/${child.pid}/smaps_rollup`, 'utf8')
      return Number(/^Pss:\s+(\d+) kB/m.exec(text)![1]) / 1024
    },
    kill,
    async close() {
      if (status) return
      kill('SIGINT')
      await exited
    },
  }
}

/** A `--json-logs` line; handlers' own output on stdout is not one. */
function invocationOf(line: string): InvocationLogEntry | undefined {
  if (!line.startsWith('{"time"')) return undefined
  try {
    const entry = JSON.parse(line) as InvocationLogEntry
    return typeof entry.routeKey === 'string' && typeof entry.requestId === 'string' ? entry : undefined
  } catch {
    return undefined
  }
}
