// HTTP error responses the way AWS services send them: the SDK reads the error's type from
// `x-amzn-ErrorType` (anything after ':' ignored), so typed exceptions work (spec §7.3).
import type { ServerResponse } from 'node:http'
import { newHttpRequestId } from './aws-ids.ts'

export function sendAwsError(res: ServerResponse, status: number, errorType: string, message: string | undefined): void {
  const body = message === undefined ? '' : JSON.stringify({ message })
  res.writeHead(status, {
    'x-amzn-ErrorType': errorType,
    'x-amzn-RequestId': newHttpRequestId(),
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  })
  res.end(body)
}
