// One malformed-HTTP template: a class for the report, a name for this input, and how to build its
// bytes for the emulator at hand (its port, its pool, a valid token). Random parts come from `rng`.
import type { Prng } from './prng.ts'
import type { RawRequest } from './raw-http.ts'

export interface HttpContext {
  readonly port: number
  readonly userPoolId: string
  readonly clientId: string
  /** A valid ID token, for upgrades that should get past the authorizer. */
  readonly token: string
  readonly rng: Prng
}

export interface HttpCase {
  readonly class: string
  readonly name: string
  build(ctx: HttpContext): RawRequest
}

/** A request from its lines, CRLF-joined, with `body` after the blank line; latin1 keeps any byte as given. */
export function request(lines: readonly string[], body: string | Buffer = ''): Buffer {
  return Buffer.concat([Buffer.from(lines.join('\r\n') + '\r\n\r\n', 'latin1'), Buffer.isBuffer(body) ? body : Buffer.from(body, 'latin1')])
}

export const host = (ctx: HttpContext) => `Host: 127.0.0.1:${ctx.port}`

/** `method target` with a Host and `Connection: close`, plus `extra` headers and a body with its length. */
export function simple(ctx: HttpContext, method: string, target: string, extra: readonly string[] = [], body?: string | Buffer): RawRequest {
  const length = body === undefined ? [] : [`Content-Length: ${Buffer.byteLength(body)}`]
  return { chunks: [request([`${method} ${target} HTTP/1.1`, host(ctx), 'Connection: close', ...extra, ...length], body)] }
}

export const sigV4 = 'Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=0000000000000000000000000000000000000000000000000000000000000000'
