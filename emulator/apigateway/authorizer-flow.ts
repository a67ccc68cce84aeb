// The `$connect` Lambda REQUEST authorizer, as API Gateway runs it (apigw-websocket-spec.md §6, §5.6):
// identity sources first, then the authorizer, then its policy; only an Allow lets `$connect` run.
// No result caching: WebSocket authorizers run on every connect (§6.4).
import { performance } from 'node:perf_hooks'
import type { AuthorizerDeclaration } from '../../src/api-declaration.ts'
import { newGatewayId } from './aws-ids.ts'
import type { FunctionPool, InvokeOutcome } from '../lambda/function-pool.ts'
import { evaluatePolicy } from './iam-policy.ts'
import type { InvocationLogger } from '../lambda/invocation-log.ts'
import { localAccountId, localRegion } from '../local-credentials.ts'
import { authorizerEvent, type ApiInfo, type ConnectionInfo, type HandshakeRequest } from './websocket-events.ts'

/** `requestContext.authorizer` of every later event: the context stringified, plus `principalId` (§6.9). */
export type AuthorizerContext = Readonly<Record<string, string | null>>

export type AuthorizerOutcome =
  | {
      readonly kind: 'allow'
      readonly authorizer: AuthorizerContext
      /** The authorizer's run time in ms; CONNECT's `requestContext.authorizer` carries it (§6.9). */
      readonly integrationLatency: number
      /** The handshake's request id, shared with the `$connect` invocation. */
      readonly requestId: string
    }
  | { readonly kind: 'reject'; readonly status: 401 | 403 | 500; readonly reason: string }

/** §9: the authorizer result may not exceed 8 KB. */
export const maxAuthorizerResultBytes = 8 * 1024

export interface AuthorizerFlowDeps {
  readonly declaration: AuthorizerDeclaration
  readonly host: FunctionPool
  readonly apiInfo: ApiInfo
  readonly log: InvocationLogger | undefined
}

type AuthorizerInput = ReturnType<typeof authorizerEvent>

export class AuthorizerFlow {
  private readonly sources: readonly IdentitySource[]

  constructor(private readonly deps: AuthorizerFlowDeps) {
    this.sources = deps.declaration.identitySource.map(parseIdentitySource)
  }

  async authorize(info: ConnectionInfo, handshake: HandshakeRequest): Promise<AuthorizerOutcome> {
    const requestId = newGatewayId()
    const event = authorizerEvent(this.deps.apiInfo, info, handshake, methodArn(this.deps.apiInfo), requestId, Date.now())
    // §6.3: every identity source must be present and non-empty, or 401 without invoking the authorizer.
    const missing = this.sources.find((source) => !isPresent(source, event))
    if (missing) return { kind: 'reject', status: 401, reason: `identity source ${missing.raw} is missing or empty` }

    const started = performance.now()
    const outcome = await this.deps.host.invoke(event, requestId)
    const integrationLatency = Math.round(performance.now() - started)
    const decision = authorizerDecision(outcome, event.methodArn)
    this.deps.log?.({
      time: new Date().toISOString(),
      routeKey: '$connect',
      function: this.deps.declaration.function,
      connectionId: info.connectionId,
      requestId,
      status: decision.kind === 'allow' ? 'allow' : String(decision.status),
      durationMs: integrationLatency,
      ...(decision.kind === 'reject' ? { error: decision.reason } : {}),
      ...('report' in outcome && outcome.report && { report: outcome.report }),
    })
    return decision.kind === 'allow' ? { ...decision, integrationLatency, requestId } : decision
  }
}

/** §6.2: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/$connect`, no HTTP verb. */
export function methodArn(api: ApiInfo): string {
  return `arn:aws:execute-api:${localRegion}:${localAccountId}:${api.apiId}/${api.stage}/$connect`
}

/** What API Gateway makes of the authorizer's invocation (§5.6, §6.5–6.10). */
export function authorizerDecision(
  outcome: InvokeOutcome,
  arn: string,
): { readonly kind: 'allow'; readonly authorizer: AuthorizerContext } | { readonly kind: 'reject'; readonly status: 401 | 403 | 500; readonly reason: string } {
  switch (outcome.kind) {
    case 'error':
      // §5.6: only the exact message `Unauthorized` means 401; any other failure is 500.
      if (outcome.error.errorMessage === 'Unauthorized') return { kind: 'reject', status: 401, reason: 'Unauthorized' }
      return { kind: 'reject', status: 500, reason: `${outcome.error.errorType}: ${outcome.error.errorMessage}` }
    case 'timeout':
    case 'throttled':
      // [INF] an authorizer that cannot answer is a failed authorizer: 500.
      return { kind: 'reject', status: 500, reason: `authorizer ${outcome.kind}` }
    case 'ok':
      break
  }
  const output = outcome.payload
  if (typeof output !== 'object' || output === null || Array.isArray(output)) return malformed('the result is not an object')
  // §9: the result (policy and context) may not exceed 8 KB.
  const size = Buffer.byteLength(JSON.stringify(output))
  if (size > maxAuthorizerResultBytes) return malformed(`the result is ${size} bytes, over the 8 KB limit`)
  const { principalId, policyDocument, context } = output as Record<string, unknown>
  // §6.10 [UNK]: REST treats a missing principalId as a configuration error; so do we.
  if (typeof principalId !== 'string' || principalId === '') return malformed('principalId is missing or not a string')
  const stringified = stringifyContext(context)
  if (typeof stringified === 'string') return malformed(stringified)
  const decision = evaluatePolicy(policyDocument, arn)
  if (decision.kind === 'malformed') return malformed(decision.reason)
  // §6.6: an explicit Deny, or no Allow for this method ARN, is 403.
  if (decision.kind === 'deny') return { kind: 'reject', status: 403, reason: decision.explicit ? 'the policy denies the method ARN' : 'no statement allows the method ARN' }
  return { kind: 'allow', authorizer: { ...stringified, principalId } }
}

function malformed(reason: string) {
  return { kind: 'reject', status: 500, reason: `malformed authorizer result: ${reason}` } as const
}

/** §6.7/§6.9: string, number and boolean values reach events as strings, null as null; nothing else is allowed. */
function stringifyContext(context: unknown): Record<string, string | null> | string {
  if (context === undefined || context === null) return {}
  if (typeof context !== 'object' || Array.isArray(context)) return 'context must be an object'
  const out: Record<string, string | null> = {}
  for (const [key, value] of Object.entries(context)) {
    if (value === null) out[key] = null
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value)
    else return `context.${key} is ${Array.isArray(value) ? 'an array' : 'an object'}; only string, number and boolean values are allowed`
  }
  return out
}

interface IdentitySource {
  readonly raw: string
  readonly kind: 'header' | 'querystring' | 'stageVariables' | 'context'
  readonly name: string
}

/** §6.3: WebSocket syntax only (`route.request.header.X`, not the HTTP API's `$request.header.X`). */
export function parseIdentitySource(raw: string): IdentitySource {
  const match = /^(?:route\.request\.(header|querystring)|(stageVariables)|(context))\.(.+)$/.exec(raw)
  if (!match) throw new Error(`Unsupported identity source "${raw}": use route.request.header.X, route.request.querystring.X, stageVariables.X or context.X`)
  return { raw, kind: (match[1] ?? match[2] ?? match[3]) as IdentitySource['kind'], name: match[4] }
}

function isPresent(source: IdentitySource, event: AuthorizerInput): boolean {
  const present = (value: unknown) => value !== undefined && value !== null && value !== ''
  switch (source.kind) {
    case 'header': {
      // [INF] header names match case-insensitively, as HTTP header names do.
      const wanted = source.name.toLowerCase()
      return Object.entries(event.multiValueHeaders).some(([name, values]) => name.toLowerCase() === wanted && values.some(present))
    }
    case 'querystring':
      // [INF] query string names are case-sensitive.
      return (event.multiValueQueryStringParameters?.[source.name] ?? []).some(present)
    case 'stageVariables':
      return present((event.stageVariables as Record<string, string>)[source.name])
    case 'context':
      return present(source.name.split('.').reduce<unknown>((at, key) => (typeof at === 'object' && at !== null ? (at as Record<string, unknown>)[key] : undefined), event.requestContext))
  }
}
