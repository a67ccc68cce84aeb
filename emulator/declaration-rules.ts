// What API Gateway and Lambda would refuse to deploy, refused at start instead of misbehaving later
// (spec §2.1, §9; Lambda's function settings).
import type { ApiDeclaration } from '../src/api-declaration.ts'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { parseExpression } from './apigateway/route-selection.ts'

const predefinedRoutes = new Set(['$connect', '$disconnect', '$default'])

/** Throws an Error naming every problem; returns quietly when the declaration could be deployed. */
export function checkDeclaration(api: ApiDeclaration, stage: string): void {
  const problems: string[] = []
  // §9: stage names are alphanumerics, hyphens and underscores, at most 128 characters.
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stage)) problems.push(`stage name ${JSON.stringify(stage)} must be 1–128 letters, digits, "-" or "_"`)
  // §2.2: WebSocket APIs select on `$request.body.<path>`.
  try {
    parseExpression(api.routeSelectionExpression)
  } catch (error) {
    problems.push((error as Error).message)
  }
  // §9: 300 routes per API.
  if (api.routes.length > 300) problems.push(`${api.routes.length} routes: an API has at most 300`)
  const seen = new Set<string>()
  for (const route of api.routes) {
    // §2.1: "$" starts only the predefined route keys.
    if (route.routeKey.startsWith('$') && !predefinedRoutes.has(route.routeKey)) {
      problems.push(`route key ${route.routeKey}: only $connect, $disconnect and $default may start with "$"`)
    }
    if (route.routeKey === '') problems.push('a route key is empty')
    if (seen.has(route.routeKey)) problems.push(`route key ${route.routeKey} is declared twice`)
    seen.add(route.routeKey)
    if (!api.functions[route.function]) problems.push(`route ${route.routeKey} names undeclared function ${route.function}`)
  }
  if (api.authorizer && !api.functions[api.authorizer.function]) problems.push(`the authorizer names undeclared function ${api.authorizer.function}`)
  for (const [name, fn] of Object.entries(api.functions)) {
    // Lambda's Handler is `file.export`; the export is a JavaScript name (its pattern allows no dots in the export).
    if (fn.handler !== undefined && !/^[A-Za-z_$][\w$]*$/.test(fn.handler)) problems.push(`function ${name}: handler ${JSON.stringify(fn.handler)} must be the name of an export`)
    // Lambda: timeout 1–900 s in whole seconds, memory 128–10240 MB.
    if (!Number.isInteger(fn.timeoutSeconds) || fn.timeoutSeconds < 1 || fn.timeoutSeconds > 900) problems.push(`function ${name}: timeoutSeconds must be a whole number from 1 to 900`)
    if (!Number.isInteger(fn.memoryMb) || fn.memoryMb < 128 || fn.memoryMb > 10240) problems.push(`function ${name}: memoryMb must be a whole number from 128 to 10240`)
    // Lambda accepts 0, which throttles every invocation: a function switched off, never what is meant.
    if (fn.reservedConcurrency !== undefined && (!Number.isInteger(fn.reservedConcurrency) || fn.reservedConcurrency < 1)) {
      problems.push(`function ${name}: reservedConcurrency must be a whole number, 1 or more`)
    }
  }
  const { rateLimit, burstLimit } = api.throttle
  if (!(rateLimit >= 0) || !Number.isInteger(burstLimit) || burstLimit < 0) problems.push('throttle: rateLimit must be ≥ 0 and burstLimit a whole number ≥ 0')
  if (problems.length > 0) throw new Error(`API declaration ${api.name} cannot be deployed:\n  - ${problems.join('\n  - ')}`)
}

/**
 * What a stack could not deploy of the pool's triggers: a function the API does not declare, or one
 * that reads the pool's ids from its environment (the pool names the function's ARN, so CloudFormation
 * would refuse the circular dependency; the trigger's event carries `userPoolId`). infra refuses the same.
 */
export function triggerProblems(api: ApiDeclaration, pool: UserPoolDeclaration): string[] {
  const problems: string[] = []
  for (const [trigger, name] of Object.entries(pool.triggers ?? {})) {
    if (name === undefined) continue
    const fn = api.functions[name]
    if (!fn) {
      problems.push(`user pool trigger ${trigger} names function ${name}, which the API declaration does not declare`)
      continue
    }
    const fromPool = Object.entries(fn.environment).filter(([, source]) => source.from.startsWith('userPool')).map(([key]) => key)
    if (fromPool.length > 0) problems.push(`function ${name} is the user pool's ${trigger} trigger, so it cannot read ${fromPool.join(', ')} from the pool (a circular dependency; its event carries userPoolId)`)
  }
  return problems
}
