// The format of an API declaration: plain data that says what API Gateway should route where and how
// each function runs. infra/ deploys it with CDK; emulator/ runs it locally. Types only.

/** Where a function's environment variable gets its value, resolved by each host in its own way. */
export type EnvSource =
  /** The physical name of a declared table (CDK: generated name; emulator: the table's id). */
  | { readonly from: 'tableName'; readonly table: string }
  /** The `@connections` management endpoint, `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`. */
  | { readonly from: 'callbackUrl' }
  /** The token issuer of the user pool (Cognito on AWS, the emulator's local Cognito offline). */
  | { readonly from: 'userPoolIssuer' }
  /** The app client id of the user pool's web client. */
  | { readonly from: 'userPoolClientId' }
  /** The user pool's id, `{region}_{id}` (e.g. for the Admin* operations). */
  | { readonly from: 'userPoolId' }
  /** A literal value, the same on every host. */
  | { readonly from: 'value'; readonly value: string }

/**
 * The DynamoDB API actions a function calls on a table; infra grants exactly these (least
 * privilege), and a test runs the functions and checks they call nothing else and need everything.
 */
export type TableAccess = 'GetItem' | 'BatchGetItem' | 'Query' | 'PutItem' | 'UpdateItem' | 'DeleteItem' | 'BatchWriteItem'

export interface FunctionDeclaration {
  /** Handler module, relative to the project root. */
  readonly entry: string
  /**
   * The export Lambda calls: what follows the dot in Lambda's `Handler` setting (`file.export`; CDK's
   * NodejsFunction bundles `entry` into `index`, so the function runs `index.<handler>`). Default `handler`.
   */
  readonly handler?: string
  readonly memoryMb: number
  /** Lambda timeout; API Gateway still gives up on a route after 29 s. */
  readonly timeoutSeconds: number
  readonly environment: Readonly<Record<string, EnvSource>>
  /** Tables this function touches and how, keyed by table id. */
  readonly tables?: Readonly<Record<string, readonly TableAccess[]>>
  /** Whether the function calls the `@connections` API (and which methods). */
  readonly manageConnections?: readonly ('POST' | 'GET' | 'DELETE')[]
  /** Hot path: provisioned concurrency goes to these when it is switched on. */
  readonly hotPath?: boolean
  /** Reserved concurrency (max concurrent invocations); absent = unreserved. */
  readonly reservedConcurrency?: number
}

export interface RouteDeclaration {
  readonly routeKey: string
  readonly function: string
  /** Two-way route: the handler's `body` goes back to the caller as a frame (a `$default` route response). */
  readonly twoWay?: boolean
}

export interface AuthorizerDeclaration {
  readonly function: string
  /** WebSocket identity-source syntax, e.g. `route.request.querystring.token`. */
  readonly identitySource: readonly string[]
}

export interface ApiDeclaration {
  readonly name: string
  readonly routeSelectionExpression: string
  readonly routes: readonly RouteDeclaration[]
  readonly authorizer?: AuthorizerDeclaration
  readonly functions: Readonly<Record<string, FunctionDeclaration>>
  /** Stage-wide default route throttling (API Gateway token bucket). */
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number }
  /** Stage variables: handlers see them as `event.stageVariables`, authorizers' identity sources as `stageVariables.<name>`. */
  readonly stageVariables?: Readonly<Record<string, string>>
}
