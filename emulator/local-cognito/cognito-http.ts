// Cognito's wire protocol (AWS JSON 1.1), so `@aws-sdk/client-cognito-identity-provider` and the
// browser page work unchanged: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`
// and `Content-Type: application/x-amz-json-1.1`; answers in the same content type; errors as HTTP
// 400 with `{"__type","message"}` plus `x-amzn-ErrorType`/`x-amzn-ErrorMessage`, as Cognito sends them.
// CORS is open, as Cognito's public endpoint is, for pages served from another origin.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { CognitoError } from './cognito-error.ts'
import { operations, type OperationDeps } from './cognito-operations.ts'

export const targetPrefix = 'AWSCognitoIdentityProviderService.'
const contentType = 'application/x-amz-json-1.1'
const maxBodyBytes = 256 * 1024

const corsHeaders = {
  'access-control-allow-origin': '*',
  'access-control-expose-headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
}

/** The browser's preflight before a cross-origin `POST /` with `X-Amz-Target`. */
export function answerPreflight(req: IncomingMessage, res: ServerResponse): void {
  req.resume()
  res.writeHead(200, {
    ...corsHeaders,
    'access-control-allow-methods': 'POST, OPTIONS',
    'access-control-allow-headers': req.headers['access-control-request-headers'] ?? 'content-type, x-amz-target, x-amz-user-agent',
    'access-control-max-age': '86400',
    'content-length': '0',
  })
  res.end()
}

export async function answerApiCall(deps: OperationDeps, req: IncomingMessage, res: ServerResponse): Promise<void> {
  try {
    const target = String(req.headers['x-amz-target'] ?? '')
    const body = await readBody(req)
    const name = target.startsWith(targetPrefix) ? target.slice(targetPrefix.length) : ''
    const operation = Object.hasOwn(operations, name) ? operations[name] : undefined
    if (!operation) {
      throw new CognitoError('UnknownOperationException', `The local Cognito does not implement ${target || 'this request'}; it implements ${Object.keys(operations).join(', ')}`)
    }
    let input: unknown
    try {
      input = body.length === 0 ? {} : JSON.parse(body.toString('utf8'))
    } catch {
      throw new CognitoError('SerializationException', 'The request body is not valid JSON')
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new CognitoError('SerializationException', 'The request body must be a JSON object')
    send(res, 200, await operation(deps, input as Record<string, unknown>))
  } catch (error) {
    if (error instanceof CognitoError) return sendError(res, error)
    console.error('local Cognito: internal error', error)
    sendError(res, new CognitoError('InternalErrorException', 'Internal error', 500))
  }
}

function send(res: ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    ...corsHeaders,
    'content-type': contentType,
    'content-length': Buffer.byteLength(text),
    'x-amzn-RequestId': randomUUID(),
    ...extra,
  })
  res.end(text)
}

function sendError(res: ServerResponse, error: CognitoError): void {
  // Cognito's own error headers: the type with a trailing colon (SDKs drop what follows it).
  const headers: Record<string, string> = { 'x-amzn-ErrorType': `${error.type}:` }
  // Messages may quote client input; a header only carries what HTTP allows in it.
  if (/^[\x20-\x7e]*$/.test(error.message)) headers['x-amzn-ErrorMessage'] = error.message
  send(res, error.status, { __type: error.type, message: error.message }, headers)
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = []
  let size = 0
  // Read to the end even when too large, so the answer can still go out on this connection.
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length
    if (size <= maxBodyBytes) chunks.push(chunk)
  }
  if (size > maxBodyBytes) throw new CognitoError('SerializationException', 'The request body is too large')
  return Buffer.concat(chunks)
}
