// Route selection for incoming messages (apigw-websocket-spec.md §2).
import { ForbiddenRoute } from './error-frames.ts'

type Part = { readonly text: string } | { readonly path: readonly (string | number)[] }

/** A compiled `routeSelectionExpression`, e.g. `$request.body.action` or `${request.body.a}/${request.body.b}`. */
export interface RouteSelector {
  /** The route key for a message body: a declared key, `$default`, or ForbiddenRoute when neither exists. */
  select(body: string): string | typeof ForbiddenRoute
}

export function compileRouteSelector(expression: string, routeKeys: Iterable<string>): RouteSelector {
  const parts = parseExpression(expression)
  // §2.9: $connect/$disconnect are chosen by lifecycle only; a message selecting them matches nothing.
  const messageRoutes = new Set([...routeKeys].filter((k) => k !== '$connect' && k !== '$disconnect'))
  const fallback = messageRoutes.has('$default') ? '$default' : ForbiddenRoute
  return {
    select(body) {
      const key = evaluateExpression(parts, body)
      // §2.6 exact, case-sensitive match; §2.7 anything else (and non-JSON) falls back to $default.
      return key !== undefined && key !== '$default' && messageRoutes.has(key) ? key : fallback
    },
  }
}

/** Evaluates the expression against a body; undefined when the body is not JSON (§2.7). */
export function evaluateExpression(parts: readonly Part[], body: string): string | undefined {
  let json: unknown
  let parsed = false
  let out = ''
  for (const part of parts) {
    if ('text' in part) {
      out += part.text
      continue
    }
    if (!parsed) {
      try {
        json = JSON.parse(body)
      } catch {
        return undefined
      }
      parsed = true
    }
    out += stringify(resolve(json, part.path))
  }
  return out
}

/**
 * §2.3: `$` starts a variable, `${…}` delimits one, `\$` is a literal dollar, anything else is
 * static text. Only `request.body…` variables are meaningful for WebSocket route selection (§2.2).
 */
export function parseExpression(expression: string): Part[] {
  const parts: Part[] = []
  let text = ''
  let i = 0
  while (i < expression.length) {
    const c = expression[i]
    if (c === '\\' && expression[i + 1] === '$') {
      text += '$'
      i += 2
    } else if (c === '$') {
      let name: string
      if (expression[i + 1] === '{') {
        const end = expression.indexOf('}', i + 2)
        if (end < 0) throw new Error(`Unclosed "\${" in route selection expression ${JSON.stringify(expression)}`)
        name = expression.slice(i + 2, end)
        i = end + 1
      } else {
        const match = /^[\w.[\]-]+/.exec(expression.slice(i + 1))
        name = match ? match[0] : ''
        i += 1 + name.length
      }
      if (text) parts.push({ text })
      text = ''
      parts.push({ path: bodyPath(name, expression) })
    } else {
      text += c
      i++
    }
  }
  if (text) parts.push({ text })
  return parts
}

function bodyPath(name: string, expression: string): (string | number)[] {
  const match = /^request\.body((?:\.[^.[\]]+|\[\d+\])*)$/.exec(name)
  if (!match) {
    throw new Error(`Unsupported variable "${name}" in route selection expression ${JSON.stringify(expression)}: WebSocket APIs select on $request.body.<path>`)
  }
  const path: (string | number)[] = []
  for (const [, key, index] of match[1].matchAll(/\.([^.[\]]+)|\[(\d+)\]/g)) path.push(key ?? Number(index))
  return path
}

function resolve(value: unknown, path: readonly (string | number)[]): unknown {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<string | number, unknown>)[key]
  }
  return current
}

/**
 * §2.4 a missing path is ""; §2.5 scalars stringified, arrays as "[a, b]". Objects and null are
 * UNK on AWS: we render null as "" and objects as their JSON text (documented in the README).
 * A client chooses the value, nested as deep as it likes: the rendering stops once it is longer
 * than any route key could be (each level of nesting adds a character, so recursion stays shallow)
 * and then matches no route.
 */
function stringify(value: unknown): string {
  return render(value, maxRenderedLength) ?? tooLong
}

/** API Gateway route keys are at most 128 characters; a longer value can match none. */
const maxRenderedLength = 128
/** Matches no route key (it is longer than any). */
const tooLong = '\u0000'.repeat(maxRenderedLength + 1)

/** The rendering of `value`, or undefined once it would pass `budget` characters. */
function render(value: unknown, budget: number): string | undefined {
  if (budget < 0) return undefined
  if (value === undefined || value === null) return ''
  if (typeof value !== 'object') {
    const text = String(value)
    return text.length > budget ? undefined : text
  }
  const array = Array.isArray(value)
  const entries = array ? (value as unknown[]).map((v) => ['', v] as const) : Object.entries(value as Record<string, unknown>)
  let out = array ? '[' : '{'
  for (const [key, item] of entries) {
    if (out.length > 1) out += array ? ', ' : ','
    if (!array) out += `${JSON.stringify(key)}:`
    // Inside an object, values keep their JSON form (strings quoted), as JSON.stringify would.
    const inner = !array && typeof item === 'string' ? JSON.stringify(item) : !array && item === null ? 'null' : render(item, budget - out.length - 1)
    if (inner === undefined || out.length + inner.length > budget) return undefined
    out += inner
  }
  out += array ? ']' : '}'
  return out.length > budget ? undefined : out
}
