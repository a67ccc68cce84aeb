// Cognito's wire protocol (AWS JSON 1.1), so `@aws-sdk/client-cognito-identity-provider` and the
// browser page work unchanged: `POST /` with `X-Amz-Target: AWSCognitoIdentityProviderService.<Op>`
// and `Content-Type: application/x-amz-json-1.1`; answers in the same content type; errors as HTTP
// 400 with `{"__type","message"}` plus `x-amzn-ErrorType`/`x-amzn-ErrorMessage`, as Cognito sends them.
// CORS only for allowed origins (cors-policy.ts).
import type { IncomingMessage, ServerResponse } from 'node:http'
import { randomUUID } from 'node:crypto'
import { CognitoError } from './cognito-error.ts'
import { operations, type OperationDeps } from './cognito-operations.ts'

export const targetPrefix = 'AWSCognitoIdentityProviderService.'
const contentType = 'application/x-amz-json-1.1'
const maxBodyBytes = 256 * 1024

/** Header values allow visible ASCII and spaces only, and clients cap the size of headers (Node: 16 KB in all). */
const headerSafe = /^[\x20-\x7e]{0,4096}$/

/** `cors`: the CORS headers for this request's origin (none but `Vary` for a foreign one). */
export async function answerApiCall(deps: OperationDeps, cors: Readonly<Record<string, string>>, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const send = (status: number, body: unknown, extra: Record<string, string> = {}) => {
    const text = JSON.stringify(body)
    res.writeHead(status, { ...cors, 'content-type': contentType, 'content-length': Buffer.byteLength(text), 'x-amzn-RequestId': randomUUID(), ...extra })
    res.end(text)
  }
  const sendError = (error: CognitoError) => {
    // Cognito's own error headers: the type with a trailing colon (SDKs drop what follows it).
    const headers: Record<string, string> = { 'x-amzn-ErrorType': `${error.type}:` }
    // Messages may quote client input: the header carries only what is safe in one (the body has it all).
    if (headerSafe.test(error.message)) headers['x-amzn-ErrorMessage'] = error.message
    send(error.status, { __type: error.type, message: error.message }, headers)
  }
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
    const signed = /^AWS4-HMAC-SHA256 /.test(String(req.headers.authorization ?? ''))
    send(200, await operation(deps, input as Record<string, unknown>, { signed }))
  } catch (error) {
    // The client went away mid-request (an aborted upload): there is no one to answer.
    if (!req.complete || res.destroyed) return
    if (error instanceof CognitoError) return sendError(error)
    console.error('local Cognito: internal error', error)
    sendError(new CognitoError('InternalErrorException', 'Internal error', 500))
  }
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
