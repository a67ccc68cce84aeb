// Small lookups on a synthesized template for the infra tests: resources by type, the one resource of
// a type, IAM statements by role, and declared functions by the description the stack gives them.
import assert from 'node:assert/strict'
import type { TemplateJson } from './synth-for-test.ts'

export function resourcesOf(template: TemplateJson, type: string): [string, Record<string, any>][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}])
}

/** The logical id of the only resource of this type (fails if there is not exactly one). */
export function idOf(template: TemplateJson, type: string): string {
  const found = resourcesOf(template, type)
  assert.equal(found.length, 1, type)
  return found[0][0]
}

/** Every statement of every IAM policy attached to a role, keyed by the role's logical id. */
export function statementsByRole(template: TemplateJson): Map<string, Record<string, any>[]> {
  const byRole = new Map<string, Record<string, any>[]>()
  for (const [, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
    for (const role of policy.Roles as { Ref: string }[]) {
      byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...policy.PolicyDocument.Statement])
    }
  }
  return byRole
}

/** Declared function name → Lambda logical id (the stack describes each function as `{name}: {entry}`). */
export function functionIds(template: TemplateJson, names: readonly string[]): Map<string, string> {
  const ids = new Map<string, string>()
  for (const [id, fn] of resourcesOf(template, 'AWS::Lambda::Function')) {
    const name = names.find((n) => String(fn.Description).startsWith(`${n}: `))
    if (name) ids.set(name, id)
  }
  return ids
}

/** IAM and CloudFormation allow a single value where a list is meant. */
export const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value])
