// API Gateway's own error frames, byte for byte: note the space after only the first colon
// (apigw-websocket-spec.md §5.1, Appendix A.4).

/** The route selector's answer when nothing matches and there is no `$default` (§2.8). */
export const ForbiddenRoute = Symbol('ForbiddenRoute')

export type GatewayErrorMessage = 'Internal server error' | 'Endpoint request timed out' | 'Forbidden' | 'Too Many Requests' | 'Limit Exceeded'

export function errorFrame(message: GatewayErrorMessage, connectionId: string, requestId: string): string {
  return `{"message": ${JSON.stringify(message)}, "connectionId":${JSON.stringify(connectionId)}, "requestId":${JSON.stringify(requestId)}}`
}
