// Inside one sandbox's worker thread: the emulator's Lambda runtime. Runs the init phase once (loads
// the handler module; a warm sandbox keeps its module state, as Lambda does), then the invocations
// its sandbox (sandbox.ts) sends it, one at a time.
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import { getHeapStatistics } from 'node:v8'
import type { InvokeRequest, OutputWritten, SandboxMessage, WorkerMessage, WorkerInit } from './function-protocol.ts'
import { installFastPath } from './fast-path.ts'
import { routeGatewayDomains, type SandboxNetwork } from './sandbox-network.ts'

const init = workerData as WorkerInit
const port = parentPort!
// Installed before the handler module loads, so clients it creates at init see the same network.
const network: SandboxNetwork | undefined = init.gateway && routeGatewayDomains(init.gateway)
const noDomains: ReadonlySet<string> = new Set()
const fastPath = init.fastPath && installFastPath(init.fastPath, (request) => send({ kind: 'gateway-call', request }), () => network?.domains() ?? noDomains)

type Handler = (event: unknown, context: unknown) => unknown

// Counted here, as the handler writes, and told with the run's result: a worker's stdout reaches the
// main thread on its own channel, after the result as often as before it.
let written = { bytes: 0, lines: 0 }
for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean
  stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string'
    const bytes = text ? Buffer.byteLength(chunk, typeof rest[0] === 'string' ? (rest[0] as BufferEncoding) : 'utf8') : chunk.byteLength
    const newline = (from: number) => (text ? chunk.indexOf('\n', from) : chunk.indexOf(10, from))
    let lines = 0
    for (let at = newline(0); at >= 0; at = newline(at + 1)) lines++
    written = { bytes: written.bytes + bytes, lines: written.lines + lines }
    return write(chunk, ...rest)
  }) as typeof stream.write
}

function takeOutput(): OutputWritten {
  const output = written
  written = { bytes: 0, lines: 0 }
  return output
}

async function load(): Promise<Handler> {
  const module = (await import(pathToFileURL(init.entry).href)) as Record<string, unknown>
  // A CommonJS handler (`exports.handler = ...`) bundles to an ESM module whose default export is
  // its `module.exports`; Lambda accepts both module kinds.
  const handler = module[init.exportName] ?? (module.default as Record<string, unknown> | undefined)?.[init.exportName]
  if (typeof handler !== 'function') {
    throw Object.assign(new Error(`The handler module of ${init.functionName} does not export a function named "${init.exportName}"`), {
      name: 'Runtime.HandlerNotFound',
    })
  }
  return handler as Handler
}

function send(message: WorkerMessage): void {
  port.postMessage(message)
}

function describe(error: unknown) {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, stack: error.stack }
    : { errorType: 'Error', errorMessage: String(error) }
}

/**
 * Lambda's "Max Memory Used" is the execution environment's peak. Threads share one process, so the
 * process RSS says nothing about one sandbox: this isolate's heap (physical pages) plus the memory
 * it holds outside the heap (buffers) is what this sandbox costs.
 */
let peakMemoryMb = 0
function memoryUsedMb(): number {
  const heap = getHeapStatistics()
  peakMemoryMb = Math.max(peakMemoryMb, Math.ceil((heap.total_physical_size + heap.external_memory) / 2 ** 20))
  return peakMemoryMb
}

// Lambda runs the init phase once, before the first event.
const loaded = load()
loaded.then(
  () => send({ kind: 'initialized', output: takeOutput() }),
  (error: unknown) => send({ kind: 'initialized', error: describe(error), output: takeOutput() }),
)

async function invoke(request: InvokeRequest): Promise<void> {
  network?.learn(request.event)
  try {
    const handler = await loaded
    const deadline = Date.now() + request.timeoutMs
    send({ kind: 'started', id: request.id })
    // The emulator's fault switch: the runtime dies mid-run, as a crash would end it. At 0 it dies as
    // the handler is called, before any of its I/O: a timer, even at 0 ms, lets a few fast-path
    // round trips (a fraction of a millisecond each) finish first, so "at once" would depend on timing.
    if (request.crashAfterMs !== undefined && request.crashAfterMs > 0) setTimeout(() => process.exit(70), request.crashAfterMs)
    const context = {
      functionName: init.functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: init.functionArn,
      memoryLimitInMB: String(init.memoryMb),
      awsRequestId: request.awsRequestId,
      logGroupName: `/aws/lambda/${init.functionName}`,
      logStreamName: init.logStreamName,
      callbackWaitsForEmptyEventLoop: true,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    }
    const running = handler(request.event, context)
    if (request.crashAfterMs === 0) process.exit(70)
    const result = await running
    // Lambda hands the gateway the JSON of the result; a value JSON cannot carry is lost the same way.
    send({ kind: 'result', id: request.id, payload: result === undefined ? undefined : JSON.stringify(result), memoryUsedMb: memoryUsedMb(), output: takeOutput() })
  } catch (error) {
    send({ kind: 'error', id: request.id, error: describe(error), memoryUsedMb: memoryUsedMb(), output: takeOutput() })
  }
}

port.on('message', (message: SandboxMessage) => {
  if (message.kind === 'gateway-answer') fastPath?.answer(message.response)
  else void invoke(message)
})
