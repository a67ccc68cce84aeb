// The composition root and the error boundary for every handler. SDK clients are built once per
// cold start (module scope, as Lambda keeps it warm), never per invocation. A ChatError becomes an
// error frame (or a rejected handshake on $connect); anything else is logged and rethrown, which
// API Gateway turns into "Internal server error" (or a 502 handshake) without leaking internals.
import { ChatStore } from './adapters/chat-store.ts'
import { createConnectionPoster, type ConnectionPoster } from './adapters/connection-poster.ts'
import { createDocumentClient } from './adapters/dynamo-client.ts'
import { Chat } from './chat.ts'
import { readConfig, required } from './config.ts'
import { ChatError } from './errors.ts'
import { unbounded, type Invocation } from './invocation.ts'
import { errorEvent, type ServerEvent } from './protocol.ts'
import type { LambdaContext, WebSocketEvent, WebSocketResult } from './websocket-event.ts'

export interface Deps {
  readonly chat: Chat
  /** Closes a connection through `@connections` (a client that keeps going past its limits), telling it why first. */
  readonly disconnect: (connectionId: string, farewell: ServerEvent) => Promise<void>
}

let deps: Deps | undefined

// Built lazily: a function is given only the environment it declares (api.ts), so `$default`,
// which touches no table, must not ask for TABLE_NAME.
function compose(): Deps {
  if (deps) return deps
  const config = readConfig()
  let chat: Chat | undefined
  let poster: ConnectionPoster | undefined
  const posterOf = () => (poster ??= createConnectionPoster(required(config, 'callbackUrl')))
  deps = {
    get chat() {
      return (chat ??= new Chat({
        store: new ChatStore(createDocumentClient(), required(config, 'tableName')),
        poster: posterOf,
      }))
    },
    async disconnect(connectionId, farewell) {
      const poster = posterOf()
      await poster.post(connectionId, new TextEncoder().encode(JSON.stringify(farewell)))
      await poster.disconnect(connectionId)
    },
  }
  return deps
}

type Handler = (event: WebSocketEvent, context?: LambdaContext) => Promise<WebSocketResult>

function invocationOf(context: LambdaContext | undefined): Invocation {
  return context ? { remainingMs: () => context.getRemainingTimeInMillis() } : unbounded
}

/** A message route: the returned event (or the error) is the route response frame. */
export function routeHandler(fn: (event: WebSocketEvent, deps: Deps, invocation: Invocation) => Promise<ServerEvent>): Handler {
  return async (event, context) => {
    try {
      return { statusCode: 200, body: JSON.stringify(await fn(event, compose(), invocationOf(context))) }
    } catch (error) {
      if (error instanceof ChatError && error.code !== 'CONFIG') {
        return { statusCode: 400, body: JSON.stringify(errorEvent(error)) }
      }
      throw logged(event, error)
    }
  }
}

/** $connect / $disconnect: the status code decides the handshake; a ChatError rejects it with 400. */
export function lifecycleHandler(fn: (event: WebSocketEvent, deps: Deps) => Promise<void>): Handler {
  return async (event) => {
    try {
      await fn(event, compose())
      return { statusCode: 200 }
    } catch (error) {
      if (error instanceof ChatError && error.code !== 'CONFIG') {
        console.log(JSON.stringify({ level: 'warn', route: event.requestContext.routeKey, code: error.code, msg: error.message }))
        return { statusCode: 400 }
      }
      throw logged(event, error)
    }
  }
}

function logged(event: WebSocketEvent, error: unknown): unknown {
  const { routeKey, connectionId, requestId } = event.requestContext
  console.error(JSON.stringify({ level: 'error', routeKey, connectionId, requestId, error: error instanceof Error ? error.stack : String(error) }))
  return error
}
