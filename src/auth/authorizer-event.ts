// The narrow part of API Gateway's REQUEST authorizer input and output for a WebSocket `$connect`
// (apigw-websocket-spec.md §6.2, §6.5) that our authorizer reads and writes.

export interface AuthorizerEvent {
  readonly type: 'REQUEST'
  /** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect` */
  readonly methodArn: string
  readonly queryStringParameters?: Readonly<Record<string, string>>
  readonly headers?: Readonly<Record<string, string>>
  readonly requestContext: {
    readonly connectionId: string
    readonly requestId: string
  }
}

export interface PolicyStatement {
  readonly Action: string
  readonly Effect: 'Allow' | 'Deny'
  readonly Resource: string | readonly string[]
}

/** Context values reach later events stringified (§6.9); objects and arrays are not allowed (§6.7). */
export interface AuthorizerResult {
  readonly principalId: string
  readonly policyDocument: { readonly Version: '2012-10-17'; readonly Statement: readonly PolicyStatement[] }
  readonly context: Readonly<Record<string, string | number | boolean>>
}
