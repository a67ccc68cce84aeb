// Identifiers in API Gateway's formats (apigw-websocket-spec.md §3.6).
import { randomBytes, randomUUID } from 'node:crypto'

/** connectionId / requestId / messageId: 11 random bytes as URL-safe base64 with one `=`, e.g. `L0SM9cOFvHcCIhw=`. */
export function newGatewayId(): string {
  return randomBytes(11).toString('base64').replaceAll('+', '-').replaceAll('/', '_')
}

export const gatewayIdPattern = /^[A-Za-z0-9_-]{15}=$/

/** apiId: 10 lowercase alphanumerics. */
export function newApiId(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(randomBytes(10), (b) => alphabet[b % alphabet.length]).join('')
}

/** The `@connections` HTTP API uses UUIDs for `x-amzn-RequestId`. */
export const newHttpRequestId = randomUUID

/** `X-Amzn-Trace-Id: Root=1-<8 hex epoch seconds>-<24 hex>` */
export function newTraceId(now: number): string {
  return `Root=1-${Math.floor(now / 1000).toString(16).padStart(8, '0')}-${randomBytes(12).toString('hex')}`
}
