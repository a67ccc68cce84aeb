// The baseline system: the plain `ws` broadcast server (e2e/fixtures/plain-ws/server.mjs) in its own
// process, started by plain `node` (no TypeScript loader), so that its CPU and memory can be read on
// their own, as the emulator's are (emulator-process.ts).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('../..', import.meta.url))
const entry = 'e2e/fixtures/plain-ws/server.mjs'

export interface PlainWsServer {
  /** `ws://127.0.0.1:<port>`: every client connects here. */
  readonly url: string
  readonly pid: number
  /** Resolves when the process has exited. */
  readonly exited: Promise<void>
  /** SIGINT (the server drops its sockets and exits); resolves once it has exited. */
  close(): Promise<void>
}

export async function startPlainWsServer(): Promise<PlainWsServer> {
  const child = spawn(
    process.execPath,
    // BENCH_NODE_ARGS (e.g. "--cpu-prof --cpu-prof-dir=prof") reaches this process as it reaches the emulator.
    [...(process.env.BENCH_NODE_ARGS?.split(' ').filter(Boolean) ?? []), entry],
    { cwd: root, env: { ...process.env, PORT: '0' }, stdio: ['ignore', 'pipe', 'inherit'] },
  )
  let running = true
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      running = false
      resolve()
    }),
  )
  let out = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`plain ws server did not start: ${out}`)), 10_000)
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString()
      const match = /listening on (ws:\/\/\S+)/.exec(out)
      if (match) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    void exited.then(() => {
      clearTimeout(timer)
      reject(new Error(`plain ws server exited before it listened: ${out}`))
    })
  }).catch((error: unknown) => {
    child.kill('SIGKILL')
    throw error
  })
  child.stdout!.resume()
  return {
    url,
    pid: child.pid!,
    exited,
    async close() {
      if (running) child.kill('SIGINT')
      await exited
    },
  }
}
