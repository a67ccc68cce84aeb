// cdk-nag names each wildcard in a policy as its own finding (`AwsSolutions-IAM5[Resource::...]`), and
// an acknowledgement must name the finding exactly. These helpers spell a finding the way cdk-nag does
// (Ref → <Id>, GetAtt → <Id.Attr>, joins flattened), so each acknowledgement covers one wildcard, never
// the whole rule.
import { Stack, Validations } from 'aws-cdk-lib'
import type { IConstruct } from 'constructs'

export interface Wildcards {
  readonly actions?: readonly string[]
  /** Resource ARNs as used in the policy (CDK tokens are fine). */
  readonly resources?: readonly string[]
}

/** Acknowledges exactly these wildcard actions and resources on `scope` (and the policies under it). */
export function acknowledgeWildcards(scope: IConstruct, wildcards: Wildcards, reason: string): void {
  const ids = [
    ...(wildcards.actions ?? []).map((action) => `AwsSolutions-IAM5[Action::${action}]`),
    ...(wildcards.resources ?? []).map((resource) => `AwsSolutions-IAM5[Resource::${flatten(Stack.of(scope).resolve(resource))}]`),
  ]
  Validations.of(scope).acknowledge(...ids.map((id) => ({ id, reason })))
}

function flatten(node: unknown): string {
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>')
  if (typeof node === 'object' && node !== null) {
    const fn = node as Record<string, unknown>
    if (Array.isArray(fn['Fn::Join'])) {
      const [delimiter, parts] = fn['Fn::Join'] as [string, unknown[]]
      return parts.map(flatten).join(delimiter)
    }
    if (Array.isArray(fn['Fn::GetAtt'])) {
      const [resource, attribute] = fn['Fn::GetAtt'] as [unknown, unknown]
      return `<${flatten(resource)}.${flatten(attribute)}>`
    }
    if ('Fn::Sub' in fn) return flatten(fn['Fn::Sub'])
    if ('Ref' in fn) return `<${flatten(fn.Ref)}>`
  }
  return JSON.stringify(node)
}
