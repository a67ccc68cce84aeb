// `npm run dev` in its own process group, exactly as a developer starts it, on a free port and a data
// folder of its own; its URLs read from the page's config.json; stopped with Ctrl-C (SIGINT).
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { PublicTarget } from './target.ts'

const root = fileURLToPath(new URL('../..', import.meta.url))
const startMs = 120_000

export async function startDevProcess(): Promise<PublicTarget> {
  const data = await mkdtemp(join(tmpdir(), 'dev-process-'))
  // Later flags win: a free port and this run's own data instead of .data/.
  const child = spawn('npm', ['run', 'dev', '--', '--port', '0', '--data', data], { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] })
  let output = ''
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  const pageUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm run dev printed no page URL in ${startMs / 1000} s:\n${output}`)), startMs)
    const read = (chunk: Buffer) => {
      output += chunk.toString()
      const found = /Web page\s+(http:\/\/\S+)/.exec(output)
      if (found) {
        clearTimeout(timer)
        resolve(found[1])
      }
    }
    child.stdout!.on('data', read)
    child.stderr!.on('data', (chunk: Buffer) => void (output += chunk.toString()))
    void exited.then((code) => {
      clearTimeout(timer)
      reject(new Error(`npm run dev exited (${code}) before it was ready:\n${output}`))
    })
  })
  const config = (await (await fetch(new URL('config.json', pageUrl))).json()) as { websocketUrl: string; cognito: PublicTarget['cognito'] }
  const { endpoint, region, userPoolId, clientId } = config.cognito
  return {
    kind: 'dev-process',
    url: config.websocketUrl,
    pageUrl,
    cognito: { endpoint, region, userPoolId, clientId },
    async close() {
      process.kill(-child.pid!, 'SIGINT')
      const deadline = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 10_000)
      await exited
      clearTimeout(deadline)
      await rm(data, { recursive: true, force: true })
    },
  }
}
