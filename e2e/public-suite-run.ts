// Runs the public end-to-end suite (e2e/public/*.test.ts) in a child `node --test` against a target
// (E2E_TARGET, e2e/public/target.ts), for tests that prove it passes there; with its counts.
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { join } from 'node:path'

const publicDir = fileURLToPath(new URL('./public/', import.meta.url))
const root = fileURLToPath(new URL('..', import.meta.url))

export interface SuiteRun {
  readonly code: number | null
  readonly tests: number
  readonly pass: number
  readonly fail: number
  readonly output: string
}

export function runPublicSuite(target: string, timeoutMs = 300_000): Promise<SuiteRun> {
  const files = readdirSync(publicDir).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(publicDir, f))
  // Without the parent's test context, or node:test takes the child for a recursive run and skips it.
  const { NODE_TEST_CONTEXT: _parent, ...env } = process.env
  const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=tap', ...files], {
    cwd: root,
    env: { ...env, E2E_TARGET: target, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`the public suite against ${target} took over ${timeoutMs / 1000} s:\n${output.slice(-4000)}`))
    }, timeoutMs)
    child.once('exit', (code) => {
      clearTimeout(timer)
      const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(output)?.[1] ?? NaN)
      resolve({ code, tests: count('tests'), pass: count('pass'), fail: count('fail'), output })
    })
  })
}
