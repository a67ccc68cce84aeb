// `npm run emulator -- --cloud-assembly <dir>`: the CLI runs a synthesized app, says once what it
// does not emulate, and refuses flags that make no sense with it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { startEmulatorProcess } from './bench/emulator-process.ts'
import { minimalResources, writeAssembly } from './fixtures/cloud-assembly/minimal-assembly.ts'
import { within } from './waiters.ts'
import { TestClient } from './ws-client.ts'

const root = fileURLToPath(new URL('..', import.meta.url))

test('the CLI serves a cloud assembly, lists what it does not emulate once, and stops on Ctrl-C', async (t) => {
  const assembly = writeAssembly(minimalResources())
  t.after(assembly.dispose)
  const cli = await startEmulatorProcess({ declaration: ['--cloud-assembly', assembly.dir], jsonLogs: true })
  t.after(() => cli.kill('SIGKILL'))
  assert.match(cli.url, /\/test$/, "the template's stage")
  const client = await TestClient.connect(cli.url)
  client.send({ action: 'echo', n: 2 })
  assert.deepEqual((await client.next((f) => 'body' in f)).body, { action: 'echo', n: 2 })
  const notices = cli.stdoutTail(200).filter((line) => line.includes('"notice":"cloud-assembly"'))
  assert.equal(notices.length, 1)
  assert.deepEqual(JSON.parse(notices[0]).notEmulated, { 'AWS::S3::Bucket': ['Bucket'] })
  cli.kill('SIGINT')
  assert.deepEqual(await within(cli.exited, 6000, 'the emulator to exit'), { code: 0, signal: null })
  await client.closed()
})

test('the CLI refuses --cloud-assembly with --api, or with --tables, saying why', () => {
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'emulator/cli.ts', ...args], { cwd: root, encoding: 'utf8' })
  const both = run('--api', 'src/api.ts', '--cloud-assembly', 'cdk.out')
  assert.equal(both.status, 2)
  assert.match(both.stderr, /give --api or --cloud-assembly, not both/)
  const tables = run('--cloud-assembly', 'cdk.out', '--tables', 'src/tables.ts')
  assert.equal(tables.status, 1)
  assert.match(tables.stderr, /--cloud-assembly reads the tables and the user pool from the template: drop --tables and --user-pool/)
})
