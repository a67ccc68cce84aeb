// The CDK app entry as the CLI runs it (`npm run synth`): the CLI passes cdk.json's context and an output
// folder through the environment and reads the cloud assembly back. Bundling is skipped here; the
// parity test covers the bundles.
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { test } from 'node:test'
import { cdkJsonContext, projectRoot } from './synth-for-test.ts'
import { describeSynth, summarizeSynth } from './synth-summary.ts'

interface Run {
  readonly code: number | null
  readonly stderr: string
  readonly outdir: string
}

function runApp(context: Record<string, unknown>): Promise<Run> {
  const outdir = mkdtempSync(join(tmpdir(), 'chat-app-'))
  const child = spawn(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
    cwd: projectRoot,
    env: { ...process.env, CDK_OUTDIR: outdir, CDK_CONTEXT_JSON: JSON.stringify({ ...cdkJsonContext(), 'aws:cdk:bundling-stacks': [], ...context }) },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise<Run>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill()
      reject(new Error('the app took over 60 s to synthesize'))
    }, 60_000)
    child.once('error', reject)
    child.once('close', (code) => {
      clearTimeout(timer)
      resolve({ code, stderr, outdir })
    })
  })
}

test('the app synthesizes the stage’s stack with cdk-nag passing', async (t) => {
  const run = await runApp({ 'chat:stage': 'ci' })
  t.after(() => rmSync(run.outdir, { recursive: true, force: true }))
  assert.equal(run.code, 0, run.stderr)
  const manifest = JSON.parse(readFileSync(join(run.outdir, 'manifest.json'), 'utf8'))
  const stacks = Object.entries<{ type: string }>(manifest.artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack').map(([id]) => id)
  assert.deepEqual(stacks, ['dynamowave-chat-ci'])
  const template = JSON.parse(readFileSync(join(run.outdir, 'dynamowave-chat-ci.template.json'), 'utf8'))
  assert.ok(Object.values<{ Type: string }>(template.Resources).some((r) => r.Type === 'AWS::ApiGatewayV2::Api'))
  // What `npm run synth` prints of it (infra/synth.ts): the stack, its resources, cdk-nag's verdict.
  const summary = summarizeSynth(run.outdir)
  assert.equal(summary.findings, 0)
  assert.deepEqual(summary.stacks.map((s) => [s.name, s.resources]), [['dynamowave-chat-ci', Object.keys(template.Resources).length]])
  assert.ok(summary.stacks[0]!.acknowledged > 0, 'the acknowledged findings are counted')
  const printed = describeSynth(summary, 'cdk.out').split('\n')
  assert.equal(printed.length, 3)
  assert.match(printed[1]!, /^ {2}stack dynamowave-chat-ci: \d+ resources \(\d+ [A-Za-z]+::[A-Za-z]+/)
  assert.match(printed[2]!, /^ {2}cdk-nag AwsSolutions: passed, no open findings \(\d+ acknowledged/)
})

test('the app refuses an invalid setting and names it', async (t) => {
  const run = await runApp({ 'chat:billingMode': 'FREE' })
  t.after(() => rmSync(run.outdir, { recursive: true, force: true }))
  assert.notEqual(run.code, 0)
  assert.match(run.stderr, /Context chat:billingMode must be PROVISIONED or PAY_PER_REQUEST; got "FREE"/)
})
