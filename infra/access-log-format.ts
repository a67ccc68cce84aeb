// What the stage's access log records: one JSON line per request, built only from $context fields.
// The Cognito token travels in the query string (browsers cannot set headers on a WebSocket), so
// nothing that could carry the request URL or its query string is ever logged (design.md §6).
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway'

/** Field name → API Gateway WebSocket `$context` variable. */
export const accessLogFields: Readonly<Record<string, string>> = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTime',
  eventType: '$context.eventType',
  routeKey: '$context.routeKey',
  connectionId: '$context.connectionId',
  messageId: '$context.messageId',
  status: '$context.status',
  integrationLatency: '$context.integrationLatency',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  principalId: '$context.authorizer.principalId',
  authorizeStatus: '$context.authorize.status',
  authorizeError: '$context.authorize.error',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
  errorType: '$context.error.responseType',
}

export function accessLogFormat(): AccessLogFormat {
  return AccessLogFormat.custom(JSON.stringify(accessLogFields))
}
