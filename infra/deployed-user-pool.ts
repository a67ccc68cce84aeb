// Reads a synthesized template's Cognito user pool and web client back into the shape of a user-pool
// declaration, in Cognito's own terms (CloudFormation properties), so the parity test can compare the
// deployed pool with src/user-pool.ts value for value, without trusting how CDK maps its props.
import assert from 'node:assert/strict'
import type { MfaMode, UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import type { TemplateJson } from './synth-for-test.ts'
import { resourcesOf } from './template-queries.ts'

/** A declaration as deployed; sign-in by username may be off in a template (UsernameAttributes). */
export type DeployedUserPool = Omit<UserPoolDeclaration, 'signInAliases'> & { readonly signInAliases: { readonly username: boolean; readonly email: boolean } }

const mfaModes: Readonly<Record<string, MfaMode>> = { OFF: 'OFF', OPTIONAL: 'OPTIONAL', ON: 'REQUIRED' }
/** CloudFormation's TokenValidityUnits, in minutes. */
const unitMinutes: Readonly<Record<string, number>> = { minutes: 1, hours: 60, days: 24 * 60 }

export function deployedUserPool(template: TemplateJson): DeployedUserPool {
  const pools = resourcesOf(template, 'AWS::Cognito::UserPool')
  const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient')
  assert.equal(pools.length, 1, 'one user pool')
  assert.equal(clients.length, 1, 'one app client')
  const [[poolId, pool]] = pools
  const [[, client]] = clients
  assert.deepEqual(client.UserPoolId, { Ref: poolId }, 'the client belongs to the pool')
  const policy = pool.Policies.PasswordPolicy
  // Cognito's defaults when a property is absent: hours for ID and access tokens, days for refresh tokens.
  const units = { IdToken: 'hours', AccessToken: 'hours', RefreshToken: 'days', ...client.TokenValidityUnits }
  const minutes = (value: number | undefined, unit: string, fallback: number) => (value === undefined ? fallback : value * unitMinutes[unit])
  return {
    selfSignUp: pool.AdminCreateUserConfig?.AllowAdminCreateUserOnly !== true,
    signInAliases: { username: pool.UsernameAttributes === undefined, email: (pool.AliasAttributes ?? []).includes('email') },
    // Cognito: a pool created without UsernameConfiguration is case-sensitive.
    signInCaseSensitive: pool.UsernameConfiguration?.CaseSensitive ?? true,
    requiredAttributes: (pool.Schema ?? []).filter((attribute: { Required?: boolean }) => attribute.Required === true).map((attribute: { Name: string }) => attribute.Name),
    autoVerify: { email: (pool.AutoVerifiedAttributes ?? []).includes('email') },
    passwordPolicy: {
      minLength: policy.MinimumLength,
      requireLowercase: policy.RequireLowercase,
      requireUppercase: policy.RequireUppercase,
      requireDigits: policy.RequireNumbers,
      requireSymbols: policy.RequireSymbols,
      tempPasswordValidityDays: policy.TemporaryPasswordValidityDays,
    },
    mfa: mfaModes[pool.MfaConfiguration ?? 'OFF'],
    client: {
      preventUserExistenceErrors: client.PreventUserExistenceErrors === 'ENABLED',
      tokenValidity: {
        idTokenMinutes: minutes(client.IdTokenValidity, units.IdToken, 60),
        accessTokenMinutes: minutes(client.AccessTokenValidity, units.AccessToken, 60),
        refreshTokenDays: minutes(client.RefreshTokenValidity, units.RefreshToken, 30 * 24 * 60) / (24 * 60),
      },
    },
  }
}
