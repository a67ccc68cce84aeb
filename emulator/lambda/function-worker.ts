// Inside one function's worker thread: the emulator's Lambda runtime. Loads the handler module once
// (a warm sandbox keeps its module state, as Lambda does) and runs invocations sent by function-host.ts.
import { parentPort, workerData } from 'node:worker_threads'
import { pathToFileURL } from 'node:url'
import type { InvokeRequest, WorkerMessage, WorkerInit } from './function-protocol.ts'
import { routeGatewayDomains, type SandboxNetwork } from './sandbox-network.ts'

const init = workerData as WorkerInit
const port = parentPort!
// Installed before the handler module loads, so clients it creates at init see the same network.
const network: SandboxNetwork | undefined = init.gateway && routeGatewayDomains(init.gateway)

type Handler = (event: unknown, context: unknown) => unknown

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

// Lambda runs the init phase once, before the first event; a failed init fails every invocation.
const loaded = load()
loaded.catch(() => {})

function send(message: WorkerMessage): void {
  port.postMessage(message)
}

function describe(error: unknown) {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message, stack: error.stack }
    : { errorType: 'Error', errorMessage: String(error) }
}

async function invoke(request: InvokeRequest): Promise<void> {
  network?.learn(request.event)
  try {
    const handler = await loaded
    const deadline = Date.now() + request.timeoutMs
    send({ kind: 'started', id: request.id })
    // The emulator's fault switch: the runtime dies mid-run, as a crash would end it.
    if (request.crashAfterMs !== undefined) setTimeout(() => process.exit(70), request.crashAfterMs)
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
    const result = await handler(request.event, context)
    // Lambda hands the gateway the JSON of the result; a value JSON cannot carry is lost the same way.
    send({ kind: 'result', id: request.id, payload: result === undefined ? undefined : JSON.stringify(result) })
  } catch (error) {
    send({ kind: 'error', id: request.id, error: describe(error) })
  }
}

port.on('message', (message: InvokeRequest | { kind: 'ping' }) => {
  if (message.kind === 'ping') send({ kind: 'pong' })
  else void invoke(message)
})
