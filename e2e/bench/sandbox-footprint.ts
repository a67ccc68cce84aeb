// `npm run bench:sandbox`: what one sandbox costs in memory. Starts eight worker threads of each kind,
// one after another, keeps them alive, and prints the process's RSS growth per worker:
//   - an empty worker thread (a V8 isolate and a Node.js environment: the floor);
//   - the AWS sample's `$connect` bundle imported (the init phase);
//   - that, then N invocations against the emulator's DynamoDB (the warm sandbox after use).
// Workers are started as the emulator starts sandboxes (the same heap limits), the bundle as the
// emulator builds it (emulator/lambda/function-bundler.ts). Figures only; it asserts nothing.
import { readFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { Worker } from 'node:worker_threads'
import { startEmulator } from '../../emulator/start-emulator.ts'
import { bundleFunctions } from '../../emulator/lambda/function-bundler.ts'
import { maxYoungGenerationSizeMb } from '../../emulator/lambda/sandbox.ts'
import { api } from '../fixtures/standalone/api.ts'
import { tables } from '../fixtures/standalone/tables.ts'

const workers = Number(process.env.FOOTPRINT_WORKERS ?? 8)
const invocations = Number(process.env.FOOTPRINT_INVOCATIONS ?? 300)
const handler = fileURLToPath(new URL('../fixtures/standalone/onconnect.mjs', import.meta.url))

const rssMb = () => Number(/VmRSS:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))![1]) / 1024

// Inside each worker: import (or not), invoke, report the heap's spaces, then stay alive.
const workerCode = (bundle: string | undefined, calls: number) => `
const { parentPort } = require('node:worker_threads')
const v8 = require('node:v8')
setInterval(() => {}, 1 << 30)
;(async () => {
  const module = ${bundle ? `await import(${JSON.stringify(bundle)})` : '{}'}
  for (let i = 0; i < ${calls}; i++) await module.handler({ requestContext: { connectionId: 'footprint-' + i } })
  const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, s.physical_space_size]))
  parentPort.postMessage({ young: spaces.new_space + spaces.new_large_object_space, old: spaces.old_space + spaces.code_space + spaces.large_object_space, external: v8.getHeapStatistics().external_memory })
})()`

async function measure(label: string, code: string, env: Record<string, string>): Promise<string> {
  const started: Worker[] = []
  const before = rssMb()
  let heap = { young: 0, old: 0, external: 0 }
  try {
    for (let i = 0; i < workers; i++) {
      const worker = new Worker(code, { eval: true, env, stdout: true, stderr: true, resourceLimits: { maxOldGenerationSizeMb: 128, maxYoungGenerationSizeMb } })
      worker.stdout.resume()
      worker.stderr.resume()
      started.push(worker)
      heap = await new Promise((resolve, reject) => {
        worker.once('message', resolve)
        worker.once('error', reject)
      })
    }
    const perWorker = (rssMb() - before) / workers
    const mb = (bytes: number) => (bytes / 2 ** 20).toFixed(1)
    return `| ${label} | ${perWorker.toFixed(1)} | ${mb(heap.young)} | ${mb(heap.old)} | ${mb(heap.external)} |`
  } finally {
    await Promise.all(started.map((worker) => worker.terminate()))
  }
}

const emulator = await startEmulator({ api, tables, root: fileURLToPath(new URL('../fixtures/standalone/', import.meta.url)), functionOutput: 'ignore' })
const bundles = await bundleFunctions(new Map([['onconnect', handler]]), { cache: false })
try {
  const bundle = bundles.functions.get('onconnect')!
  const env = {
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_REGION: 'us-east-1',
    AWS_ENDPOINT_URL_DYNAMODB: emulator.dynamoEndpoint,
    TABLE_NAME: Object.keys(tables)[0],
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  }
  const rows = [
    await measure('an empty worker thread', workerCode(undefined, 0), env),
    await measure("the AWS sample's `$connect` bundle imported", workerCode(bundle, 0), env),
    await measure(`the same after ${invocations} invocations`, workerCode(bundle, invocations), env),
  ]
  console.log(`Memory per sandbox (${workers} workers of each kind, Node ${process.version}, young generation capped at ${maxYoungGenerationSizeMb} MB):\n`)
  console.log('| worker | RSS per worker MB | young generation MB | old space + code MB | external MB |')
  console.log('| --- | --- | --- | --- | --- |')
  for (const row of rows) console.log(row)
} finally {
  await bundles.close()
  await emulator.close()
}
