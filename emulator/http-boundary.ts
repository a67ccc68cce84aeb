// The one error boundary around everything that arrives over HTTP: a request handler that throws
// (synchronously or later) costs that request a 500 and a logged stack, never the process or any
// other connection. Client input is answered before it gets here (400, 403, 404...); what reaches
// `internalError` is a bug in the emulator, counted so tests can prove client input never does.
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Duplex } from 'node:stream'
import { rejectHandshake } from './apigateway/handshake-rejection.ts'

export type InternalErrorReporter = (where: string, error: unknown) => void

const ignore = () => {}

export function guardRequest(
  handle: (req: IncomingMessage, res: ServerResponse) => Promise<void> | void,
  report: InternalErrorReporter,
): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    // An aborted upload or a peer that resets mid-answer is the client's business, not a crash.
    req.on('error', ignore)
    res.on('error', ignore)
    const fail = (error: unknown) => {
      report(`serving ${req.method} ${(req.url ?? '').slice(0, 200)}`, error)
      if (res.headersSent) return void res.destroy()
      const body = JSON.stringify({ message: 'Internal server error' })
      res.writeHead(500, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), connection: 'close' })
      res.end(body)
    }
    try {
      void Promise.resolve(handle(req, res)).catch(fail)
    } catch (error) {
      fail(error)
    }
  }
}

export function guardUpgrade(
  handle: (req: IncomingMessage, socket: Duplex, head: Buffer) => Promise<void> | void,
  report: InternalErrorReporter,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  return (req, socket, head) => {
    socket.on('error', ignore)
    const fail = (error: unknown) => {
      report(`upgrading ${(req.url ?? '').slice(0, 200)}`, error)
      rejectHandshake(socket, 500)
    }
    try {
      void Promise.resolve(handle(req, socket, head)).catch(fail)
    } catch (error) {
      fail(error)
    }
  }
}
