// The system under test, in its own process (as `npm run dev` runs it), so the load generator's
// work does not count against it and its resident memory can be read on its own.
import { spawn, type ChildProcess } from 'node:child_process'
import { readFile } from 'node:fs/promises'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))

export interface EmulatorProcess {
  readonly url: string
  /** The local Cognito's endpoint and app client, as printed at start. */
  readonly cognito: { readonly endpoint: string; readonly region: string; readonly clientId: string }
  readonly pid: number
  /** Resident set size in MiB, read from /proc (Linux). */
  rssMb(): Promise<number>
  close(): Promise<void>
}

export async function startEmulatorProcess(): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    // BENCH_NODE_ARGS, e.g. "--cpu-prof --cpu-prof-dir=prof", profiles the emulator (workers too).
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), '--import', 'tsx', 'emulator/cli.ts', '--api', 'src/api.ts', '--tables', 'src/tables.ts', '--user-pool', 'src/user-pool.ts', '--port', '0', '--quiet', '--no-throttle'],
    { cwd: root, env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  const [url, cognitoEndpoint, clientId] = await new Promise<string[]>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(() => reject(new Error(`emulator did not start: ${out}`)), 30_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk
      const ws = /WebSocket\s+(ws:\/\/\S+)/.exec(out)
      const cognito = /Cognito\s+(http:\/\/\S+) .*app client (\w+)/.exec(out)
      if (ws && cognito) {
        clearTimeout(timer)
        resolve([ws[1], cognito[1], cognito[2]])
      }
    })
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}: ${out}`)))
  })
  child.stdout!.resume()
  return {
    url,
    cognito: { endpoint: cognitoEndpoint, region: 'us-east-1', clientId },
    pid: child.pid!,
    async rssMb() {
      const status = await readFile(`/proc/${child.pid}/status`, 'utf8')
      return Number(/VmRSS:\s+(\d+) kB/.exec(status)![1]) / 1024
    },
    async close() {
      if (child.exitCode !== null) return
      const exited = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGINT')
      await exited
    },
  }
}
