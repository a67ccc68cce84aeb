// IAM-style evaluation of the policy a Lambda authorizer returns (apigw-websocket-spec.md §6.5–6.6):
// access needs an Allow statement whose Action matches `execute-api:Invoke` and whose Resource
// matches the method ARN; any matching Deny wins; no matching Allow is an implicit deny.

export type PolicyDecision =
  | { readonly kind: 'allow' }
  | { readonly kind: 'deny'; readonly explicit: boolean }
  | { readonly kind: 'malformed'; readonly reason: string }

export const invokeAction = 'execute-api:Invoke'

interface Statement {
  readonly effect: 'Allow' | 'Deny'
  readonly actions: readonly string[]
  readonly resources: readonly string[]
}

export function evaluatePolicy(policyDocument: unknown, methodArn: string, action = invokeAction): PolicyDecision {
  const parsed = parseStatements(policyDocument)
  if (typeof parsed === 'string') return { kind: 'malformed', reason: parsed }
  const applies = (s: Statement) =>
    // IAM action names are case-insensitive; resource ARNs are not.
    s.actions.some((pattern) => globMatch(pattern.toLowerCase(), action.toLowerCase())) && s.resources.some((pattern) => globMatch(pattern, methodArn))
  const matching = parsed.filter(applies)
  // §6.6: an explicit Deny beats any Allow.
  if (matching.some((s) => s.effect === 'Deny')) return { kind: 'deny', explicit: true }
  if (matching.some((s) => s.effect === 'Allow')) return { kind: 'allow' }
  return { kind: 'deny', explicit: false }
}

function parseStatements(policyDocument: unknown): Statement[] | string {
  if (!isObject(policyDocument)) return 'policyDocument must be an object'
  const raw = policyDocument.Statement
  // IAM accepts a single statement object as well as a list of them.
  const list: unknown[] | undefined = Array.isArray(raw) ? raw : isObject(raw) ? [raw] : undefined
  if (!list) return 'policyDocument.Statement must be a statement or a list of statements'
  const statements: Statement[] = []
  for (const [i, s] of list.entries()) {
    if (!isObject(s)) return `Statement[${i}] must be an object`
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `Statement[${i}].Effect must be "Allow" or "Deny"`
    const actions = stringList(s.Action)
    if (!actions) return `Statement[${i}].Action must be a string or a list of strings`
    const resources = stringList(s.Resource)
    if (!resources) return `Statement[${i}].Resource must be a string or a list of strings`
    statements.push({ effect: s.Effect, actions, resources })
  }
  return statements
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value]
  if (Array.isArray(value) && value.length > 0 && value.every((v) => typeof v === 'string')) return value as string[]
  return undefined
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * IAM wildcards: `*` is any run of characters (it spans `/` and `:`), `?` is exactly one. Greedy matching
 * that backtracks to the last `*` only: at worst pattern × value steps, so no pattern can blow up.
 */
export function globMatch(pattern: string, value: string): boolean {
  let p = 0
  let v = 0
  let star = -1
  let resume = 0
  while (v < value.length) {
    if (p < pattern.length && pattern[p] === '*') {
      star = p++
      resume = v
    } else if (p < pattern.length && (pattern[p] === '?' || pattern[p] === value[v])) {
      p++
      v++
    } else if (star !== -1) {
      p = star + 1
      v = ++resume
    } else {
      return false
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++
  return p === pattern.length
}
