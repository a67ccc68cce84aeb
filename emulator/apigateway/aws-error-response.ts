// HTTP error responses the way AWS services send them: the SDK reads the error's type from
// `x-amzn-ErrorType` (anything after ':' ignored), so typed exceptions work (spec §7.3).
import type { ServerResponse } from 'node:http'
import { newHttpRequestId } from './aws-ids.ts'

export function sendAwsError(res: ServerResponse, status: number, errorType: string, message: string | undefined): void {
  const answer = awsError(status, errorType, message)
  res.writeHead(answer.status, answer.headers)
  res.end(answer.body)
}

/** The same error as a value, for answers that do not go out through an HTTP response (a sandbox's fast path). */
export function awsError(status: number, errorType: string, message: string | undefined) {
  const body = message === undefined ? '' : JSON.stringify({ message })
  const headers = {
    'x-amzn-ErrorType': errorType,
    'x-amzn-RequestId': newHttpRequestId(),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  }
  return { status, headers, body }
}
