// The narrow part of API Gateway's WebSocket Lambda proxy event that the chat reads
// (shapes per apigw-websocket-spec.md §3). We own these types instead of pulling in @types/aws-lambda.

export interface WebSocketRequestContext {
  readonly routeKey: string
  readonly eventType: 'CONNECT' | 'MESSAGE' | 'DISCONNECT'
  readonly connectionId: string
  readonly connectedAt: number
  readonly requestId: string
  readonly requestTimeEpoch: number
  readonly domainName: string
  readonly stage: string
  readonly disconnectStatusCode?: number
  readonly disconnectReason?: string
  /** Authorizer context, values stringified by API Gateway, plus `principalId`. */
  readonly authorizer?: Readonly<Record<string, string | number | boolean | null>>
}

export interface WebSocketEvent {
  readonly requestContext: WebSocketRequestContext
  readonly body?: string
  readonly queryStringParameters?: Readonly<Record<string, string>>
  readonly headers?: Readonly<Record<string, string>>
}

/** What a route integration returns; only `$connect`'s status and a two-way route's body matter. */
export interface WebSocketResult {
  readonly statusCode: number
  readonly body?: string
  readonly headers?: Readonly<Record<string, string>>
}

/** The part of Lambda's invocation context the handlers read. */
export interface LambdaContext {
  getRemainingTimeInMillis(): number
}
