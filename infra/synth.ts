// `npm run synth`: `cdk synth --quiet`, with the bundler's per-function output kept back, then a short
// summary (synth-summary.ts). A failed synth prints everything it said, then exits with its code.
import { spawn } from 'node:child_process'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describeSynth, summarizeSynth } from './synth-summary.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const outdir = 'cdk.out'
const child = spawn(join(root, 'node_modules', '.bin', 'cdk'), ['synth', '--quiet', ...process.argv.slice(2)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] })
let said = ''
child.stdout.on('data', (chunk: Buffer) => (said += chunk.toString()))
child.stderr.on('data', (chunk: Buffer) => (said += chunk.toString()))
child.once('error', (error) => {
  console.error(`npm run synth: cannot run the CDK CLI: ${error.message}`)
  process.exitCode = 1
})
child.once('close', (code) => {
  if (code !== 0) {
    process.stderr.write(said)
    process.exitCode = code ?? 1
    return
  }
  const summary = summarizeSynth(join(root, outdir))
  console.log(describeSynth(summary, outdir))
  if (summary.findings > 0) process.exitCode = 1
})
