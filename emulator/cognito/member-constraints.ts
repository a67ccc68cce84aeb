// The constraints of the Cognito API model (cognito-idp 2016-04-18: length, pattern, enum, required)
// checked as the AWS JSON protocol checks them, before the operation runs: every violation of the
// request is collected and Cognito answers one InvalidParameterException,
// "2 validation errors detected: Value at 'username' failed to satisfy constraint: Member must have
// length greater than or equal to 1; Value at 'username' failed to satisfy constraint: Member must
// satisfy regular expression pattern: [\p{L}\p{M}\p{S}\p{N}\p{P}]+". A member the model marks
// sensitive (username, password, attribute values) is not quoted; others are (`Value 'x' at ...`).
import { CognitoError } from './cognito-error.ts'

export interface StringShape {
  readonly min?: number
  readonly max?: number
  /** The model's pattern as it prints it, and the same in JavaScript (the model's regexes are Java's). */
  readonly pattern?: { readonly text: string; readonly regex: RegExp }
  readonly enum?: readonly string[]
  readonly sensitive?: boolean
}

/** Java's `\S`: anything but ASCII whitespace (JavaScript's `\S` also refuses Unicode spaces). */
const javaNonSpace = '[^ \\t\\n\\x0B\\f\\r]+'
const unicodeName = '[\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+'
const pattern = (text: string, source: string) => ({ text, regex: new RegExp(`^(?:${source})$`, 'u') })

// The shapes the local Cognito's operations read, with the model's figures.
export const shapes = {
  ClientIdType: { min: 1, max: 128, pattern: pattern('[\\w+]+', '[\\w+]+'), sensitive: true },
  UsernameType: { min: 1, max: 128, pattern: pattern(unicodeName, unicodeName), sensitive: true },
  PasswordType: { max: 256, pattern: pattern('[\\S]+', javaNonSpace), sensitive: true },
  ConfirmationCodeType: { min: 1, max: 2048, pattern: pattern('[\\S]+', javaNonSpace) },
  SecretHashType: { min: 1, max: 128, pattern: pattern('[\\w+=/]+', '[\\w+=/]+'), sensitive: true },
  AttributeNameType: { min: 1, max: 32, pattern: pattern(unicodeName, unicodeName) },
  AttributeValueType: { max: 2048, sensitive: true },
  /** RevokeToken's Token (the model: TokenModelType, sensitive, pattern `[A-Za-z0-9-_=.]+`). */
  TokenModelType: { pattern: pattern('[A-Za-z0-9-_=.]+', '[A-Za-z0-9\\-_=.]+'), sensitive: true },
  /** Keys and values of maps such as AuthParameters. */
  StringType: { min: 0, max: 131072 },
} as const satisfies Record<string, StringShape>

/** Collects a request's violations; `throwIfAny` answers them all at once, as AWS does. */
export class Violations {
  private readonly found: { readonly path: string; readonly text: string }[] = []

  /**
   * The member's value when it is a string (checked against `shape`), '' otherwise. Absent (or not a
   * string) is a violation only when `required`; the request is refused before '' is ever used.
   */
  string(path: string, value: unknown, shape: StringShape, required: boolean): string {
    if (typeof value !== 'string') {
      if (required) this.found.push({ path, text: `Value null at '${path}' failed to satisfy constraint: Member must not be null` })
      return ''
    }
    const at = shape.sensitive ? `Value at '${path}'` : `Value '${value}' at '${path}'`
    const fail = (constraint: string) => this.found.push({ path, text: `${at} failed to satisfy constraint: ${constraint}` })
    const length = codePoints(value)
    if (shape.min !== undefined && length < shape.min) fail(`Member must have length greater than or equal to ${shape.min}`)
    if (shape.max !== undefined && length > shape.max) fail(`Member must have length less than or equal to ${shape.max}`)
    if (shape.pattern && !shape.pattern.regex.test(value)) fail(`Member must satisfy regular expression pattern: ${shape.pattern.text}`)
    if (shape.enum && !shape.enum.includes(value)) fail(`Member must satisfy enum value set: [${shape.enum.join(', ')}]`)
    return value
  }

  /**
   * A map of strings (AuthParameters); entries that are not strings are dropped. The map is sensitive:
   * not quoted. The wording of map constraints is AWS's for other services' maps (INF for Cognito).
   */
  stringMap(path: string, value: unknown): Record<string, string> {
    if (value === undefined || value === null) return {}
    if (typeof value !== 'object' || Array.isArray(value)) throw new CognitoError('InvalidParameterException', `${path} must be a map of strings`)
    const entries = Object.entries(value).filter((entry): entry is [string, string] => typeof entry[1] === 'string')
    const { max } = shapes.StringType
    const fail = (part: string) =>
      this.found.push({ path, text: `Value at '${path}' failed to satisfy constraint: ${part} must satisfy constraint: [Member must have length less than or equal to ${max}]` })
    if (entries.some(([key]) => codePoints(key) > max)) fail('Map keys')
    if (entries.some(([, v]) => codePoints(v) > max)) fail('Map value')
    return Object.fromEntries(entries)
  }

  /** Ordered by member, as Cognito's messages are ('password' before 'username'); a member's own in the model's order. */
  throwIfAny(): void {
    const n = this.found.length
    if (n === 0) return
    const texts = this.found.toSorted((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0)).map((f) => f.text)
    throw new CognitoError('InvalidParameterException', `${n} validation error${n === 1 ? '' : 's'} detected: ${texts.join('; ')}`)
  }
}

/** Smithy's length trait counts Unicode code points, not UTF-16 units. */
function codePoints(text: string): number {
  let n = 0
  for (const _ of text) n++
  return n
}
