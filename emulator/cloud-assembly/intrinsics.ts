// CloudFormation's intrinsic functions, evaluated the way CloudFormation does at deploy time
// (CloudFormation User Guide, "Intrinsic function reference"), but against the emulator's local
// values: `Ref` and `Fn::GetAtt` ask the caller (template-resources.ts knows what each resource
// type returns), pseudo parameters are the emulator's region and account. What CDK emits is covered:
// Ref, Fn::GetAtt, Fn::Join, Fn::Sub, Fn::Select, Fn::Split, Fn::FindInMap, Fn::If with the
// template's Conditions (Fn::Equals, Fn::Not, Fn::And, Fn::Or, Condition) and Fn::Base64. Anything
// else (Fn::ImportValue: another stack's export; Fn::GetAZs; Fn::Cidr; a transform) is refused with
// where it is and why, so a start never runs on a value it made up.
import { CloudAssemblyError } from './cloud-assembly-error.ts'

export interface IntrinsicScope {
  /** `Ref` of a resource (by logical id) or of a template parameter. */
  ref(name: string, where: string): unknown
  getAtt(resource: string, attribute: string, where: string): unknown
  readonly mappings: Readonly<Record<string, Readonly<Record<string, Readonly<Record<string, unknown>>>>>>
  readonly conditions: Readonly<Record<string, unknown>>
}

/** `AWS::NoValue`: a property whose value is this is treated as absent, as CloudFormation removes it. */
export const noValue = Symbol('AWS::NoValue')

export function evaluate(value: unknown, scope: IntrinsicScope, where: string): unknown {
  if (Array.isArray(value)) return value.map((item, i) => evaluate(item, scope, `${where}[${i}]`)).filter((item) => item !== noValue)
  if (typeof value !== 'object' || value === null) return value
  const keys = Object.keys(value)
  const [key] = keys
  if (keys.length === 1 && (key === 'Ref' || key === 'Condition' || key.startsWith('Fn::'))) {
    return intrinsic(key, (value as Record<string, unknown>)[key], scope, `${where}.${key}`)
  }
  const out: Record<string, unknown> = {}
  for (const [name, member] of Object.entries(value)) {
    const evaluated = evaluate(member, scope, `${where}.${name}`)
    if (evaluated !== noValue) out[name] = evaluated
  }
  return out
}

function intrinsic(name: string, argument: unknown, scope: IntrinsicScope, where: string): unknown {
  const arg = (v: unknown, suffix = '') => evaluate(v, scope, `${where}${suffix}`)
  switch (name) {
    case 'Ref':
      if (argument === 'AWS::NoValue') return noValue
      return scope.ref(text(argument, where), where)
    case 'Fn::GetAtt': {
      // Either ["Resource", "Attribute"] or "Resource.Attribute"; the attribute may itself be an intrinsic.
      const [resource, attribute] = typeof argument === 'string' ? splitOnce(argument, '.') : list(argument, where, 2)
      return scope.getAtt(text(resource, where), text(arg(attribute, '[1]'), where), where)
    }
    case 'Fn::Join': {
      const [delimiter, items] = list(argument, where, 2)
      return list(arg(items, '[1]'), where).map((item) => text(item, where)).join(text(delimiter, where))
    }
    case 'Fn::Sub':
      return substitute(argument, scope, where)
    case 'Fn::Select': {
      const [index, items] = list(argument, where, 2)
      const chosen = list(arg(items, '[1]'), where)
      const i = Number(arg(index, '[0]'))
      if (!Number.isInteger(i) || i < 0 || i >= chosen.length) throw unresolved(where, `index ${String(index)} is outside a list of ${chosen.length}`)
      return chosen[i]
    }
    case 'Fn::Split': {
      const [delimiter, source] = list(argument, where, 2)
      return text(arg(source, '[1]'), where).split(text(delimiter, where))
    }
    case 'Fn::FindInMap': {
      const [map, top, second] = list(argument, where, 3).map((part, i) => text(arg(part, `[${i}]`), where))
      const found = scope.mappings[map]?.[top]?.[second]
      if (found === undefined) throw unresolved(where, `the template's Mappings have no ${map}.${top}.${second}`)
      return found
    }
    case 'Fn::If': {
      const [condition, whenTrue, whenFalse] = list(argument, where, 3)
      return condition === undefined ? noValue : conditionHolds(text(condition, where), scope, where) ? arg(whenTrue, '[1]') : arg(whenFalse, '[2]')
    }
    case 'Condition':
      return conditionHolds(text(argument, where), scope, where)
    case 'Fn::Equals': {
      const [a, b] = list(argument, where, 2)
      return JSON.stringify(arg(a, '[0]')) === JSON.stringify(arg(b, '[1]'))
    }
    case 'Fn::Not':
      return !truth(arg(list(argument, where, 1)[0], '[0]'), where)
    case 'Fn::And':
      return list(argument, where).every((c, i) => truth(arg(c, `[${i}]`), where))
    case 'Fn::Or':
      return list(argument, where).some((c, i) => truth(arg(c, `[${i}]`), where))
    case 'Fn::Base64':
      return Buffer.from(text(arg(argument), where)).toString('base64')
    default:
      throw unresolved(where, `${name} is not supported offline${name === 'Fn::ImportValue' ? ' (it reads another stack’s export)' : ''}`)
  }
}

/** `${Name}`, `${Resource.Attribute}` and `${!Literal}` (which stays `${Literal}`), with optional variables. */
function substitute(argument: unknown, scope: IntrinsicScope, where: string): string {
  const [template, variables] = typeof argument === 'string' ? [argument, {}] : list(argument, where, 2)
  const vars = (evaluate(variables, scope, `${where}[1]`) ?? {}) as Record<string, unknown>
  return text(template, where).replace(/\$\{([^}]*)\}/g, (_whole, inner: string) => {
    if (inner.startsWith('!')) return `\${${inner.slice(1)}}`
    if (Object.hasOwn(vars, inner)) return text(vars[inner], where)
    if (inner.includes('.') && !inner.startsWith('AWS::')) {
      const [resource, attribute] = splitOnce(inner, '.')
      return text(scope.getAtt(resource, attribute, where), where)
    }
    return text(scope.ref(inner, where), where)
  })
}

function conditionHolds(name: string, scope: IntrinsicScope, where: string): boolean {
  if (!Object.hasOwn(scope.conditions, name)) throw unresolved(where, `the template declares no condition ${name}`)
  return truth(evaluate(scope.conditions[name], scope, `Conditions.${name}`), where)
}

function truth(value: unknown, where: string): boolean {
  if (typeof value !== 'boolean') throw unresolved(where, `a condition evaluated to ${JSON.stringify(value)}, not true or false`)
  return value
}

function list(value: unknown, where: string, length?: number): unknown[] {
  if (!Array.isArray(value) || (length !== undefined && value.length !== length)) {
    throw unresolved(where, `expected a list${length === undefined ? '' : ` of ${length}`}, got ${JSON.stringify(value)}`)
  }
  return value
}

function text(value: unknown, where: string): string {
  if (typeof value === 'string') return value
  if (typeof value === 'number' || typeof value === 'boolean') return String(value)
  throw unresolved(where, `expected a string, got ${JSON.stringify(value)}`)
}

function splitOnce(value: string, separator: string): [string, string] {
  const at = value.indexOf(separator)
  return at < 0 ? [value, ''] : [value.slice(0, at), value.slice(at + 1)]
}

export function unresolved(where: string, why: string): CloudAssemblyError {
  return new CloudAssemblyError('CLOUD_ASSEMBLY_UNRESOLVED', `${where}: ${why}`)
}
