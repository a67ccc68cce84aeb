// A function's environment on AWS: each declared variable resolved to this stack's value. The emulator
// resolves the same declaration to its local values (emulator/lambda/functions.ts), so both hosts set the same
// names (design.md §3.2), and nothing else: Lambda adds its own reserved variables.
import type { EnvSource } from '../src/api-declaration.ts'
import { DeclarationError } from './declaration-error.ts'

/** What each kind of source means in this stack (CDK tokens are fine: they resolve at deploy time). */
export interface EnvTargets {
  /** Physical table name by table id; undefined for an undeclared table. */
  readonly tableName: (tableId: string) => string | undefined
  /** `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}` */
  readonly callbackUrl: string
  /** `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` */
  readonly userPoolIssuer: string
  readonly userPoolClientId: string
  readonly userPoolId: string
}

export function resolveEnvironment(
  functionName: string,
  environment: Readonly<Record<string, EnvSource>>,
  targets: EnvTargets,
): Record<string, string> {
  return Object.fromEntries(Object.entries(environment).map(([key, source]) => [key, resolveSource(functionName, key, source, targets)]))
}

function resolveSource(functionName: string, key: string, source: EnvSource, targets: EnvTargets): string {
  switch (source.from) {
    case 'tableName': {
      const name = targets.tableName(source.table)
      if (name === undefined) throw new DeclarationError(`Function ${functionName}: ${key} names table '${source.table}', which src/tables.ts does not declare`)
      return name
    }
    case 'callbackUrl':
      return targets.callbackUrl
    case 'userPoolIssuer':
      return targets.userPoolIssuer
    case 'userPoolClientId':
      return targets.userPoolClientId
    case 'userPoolId':
      return targets.userPoolId
    case 'value':
      return source.value
  }
}
