// Inside a sandbox: the SDK's requests to the emulator, taken off the wire. The handler keeps the
// real `@aws-sdk/*` clients, their middleware, SigV4 signing and typed errors; only the last step,
// the request handler, changes (fast-http-handler.ts, bundled in place of the SDK's Node HTTP
// handler): a request for DynamoDB goes over a message port straight to dynalite's thread, one for
// `@connections` to the gateway on the main thread, as the fields its HTTP request would carry, and
// the answer comes back with the same status, headers and body. No loopback TCP connection, no HTTP
// serialisation or parsing on either side. Anything else (another host, a streamed body) still goes
// over HTTP.
import type { MessagePort } from 'node:worker_threads'
import type { FastRequest, FastResponse, WorkerInit } from './function-protocol.ts'
import { unbracket } from './host-name.ts'

/** What fast-http-handler.ts finds on globalThis. */
export interface FastPathRouter {
  /** The transport for this request, or undefined to send it over HTTP. */
  route(request: FastPathRequest): ((request: Omit<FastRequest, 'id'>) => Promise<Omit<FastResponse, 'id'>>) | undefined
}

/** The fields of the SDK's HttpRequest the router looks at. */
export interface FastPathRequest {
  readonly protocol?: string
  readonly hostname?: string
  readonly port?: number
  readonly path?: string
  readonly body?: unknown
}

export const fastPathKey = Symbol.for('dynamowave.emulator.fastPath')

/** `@connections` paths, as the SDK sends them (`@` literal) or escaped. */
const connectionsPath = /^\/[^/]+\/(?:@|%40)connections\//i

/** A channel of request/answer pairs over one port. */
function channel(send: (request: FastRequest) => void) {
  let nextId = 1
  const waiting = new Map<number, { resolve: (response: FastResponse) => void; reject: (error: Error) => void }>()
  return {
    call(request: Omit<FastRequest, 'id'>): Promise<Omit<FastResponse, 'id'>> {
      const id = nextId++
      return new Promise((resolve, reject) => {
        waiting.set(id, { resolve, reject })
        send({ ...request, id })
      })
    },
    answer(response: FastResponse): void {
      const pending = waiting.get(response.id)
      waiting.delete(response.id)
      pending?.resolve(response)
    },
    /** The other side is gone: what waits fails as a dropped connection would (the SDK retries those). */
    fail(): void {
      for (const pending of waiting.values()) pending.reject(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))
      waiting.clear()
    },
  }
}

export interface SandboxFastPath {
  /** An answer from the main thread to a `gateway-call`. */
  answer(response: FastResponse): void
}

/**
 * Installs the router for this sandbox. `gatewayDomains` are the hosts API Gateway events named
 * (sandbox-network.ts): a client built from `https://{domainName}/{stage}` takes the fast path too.
 */
export function installFastPath(
  fastPath: NonNullable<WorkerInit['fastPath']>,
  postToMain: (request: FastRequest) => void,
  gatewayDomains: () => ReadonlySet<string>,
): SandboxFastPath {
  const gateway = channel(postToMain)
  const dynamoPort: MessagePort | undefined = fastPath.dynamo?.port
  let dynamo = dynamoPort && channel((request) => dynamoPort.postMessage(request))
  if (dynamoPort && dynamo) {
    const open = dynamo
    dynamoPort.on('message', (response: FastResponse) => open.answer(response))
    // dynalite's thread ended: from now on DynamoDB requests go over HTTP (to what answers in its place).
    dynamoPort.on('close', () => {
      open.fail()
      dynamo = undefined
    })
    dynamoPort.unref()
  }
  const router: FastPathRouter = {
    route(request) {
      const body = request.body
      if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) return undefined
      const origin = `${request.hostname}:${request.port ?? (request.protocol === 'https:' ? 443 : 80)}`
      if (dynamo && origin === fastPath.dynamo?.origin) return dynamo.call
      const path = request.path ?? ''
      if (!connectionsPath.test(path)) return undefined
      if (origin === fastPath.gatewayOrigin) return gateway.call
      if (request.protocol === 'https:' && (request.port ?? 443) === 443 && gatewayDomains().has(unbracket(request.hostname ?? ''))) return gateway.call
      return undefined
    },
  }
  ;(globalThis as Record<symbol, unknown>)[fastPathKey] = router
  return { answer: (response) => gateway.answer(response) }
}
