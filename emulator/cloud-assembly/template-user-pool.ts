// A template's Cognito user pool and app client (AWS::Cognito::UserPool, AWS::Cognito::UserPoolClient)
// read back into a user-pool declaration, in Cognito's own terms (CloudFormation properties, with
// Cognito's defaults where a property is absent). The emulator runs a cloud assembly's pool from it;
// infra's parity test compares the chat's deployed pool with src/user-pool.ts through it.
import {
  defaultAuthFlows,
  type AuthFlow,
  type CustomAttributeDeclaration,
  type GroupDeclaration,
  type MfaMode,
  type UserPoolDeclaration,
} from '../../src/user-pool-declaration.ts'
import { standardAttributes } from '../cognito/user-pool-rules.ts'

type Props = Record<string, any>

/** A declaration as deployed; sign-in by username may be off in a template (UsernameAttributes). */
export type DeployedUserPool = Omit<UserPoolDeclaration, 'signInAliases'> & { readonly signInAliases: { readonly username: boolean; readonly email: boolean } }

const mfaModes: Readonly<Record<string, MfaMode>> = { OFF: 'OFF', OPTIONAL: 'OPTIONAL', ON: 'REQUIRED' }
/** CloudFormation's TokenValidityUnits, in minutes. */
const unitMinutes: Readonly<Record<string, number>> = { seconds: 1 / 60, minutes: 1, hours: 60, days: 24 * 60 }

/** Cognito's password policy when a pool sets none (the console's and the API's default). */
const defaultPasswordPolicy = { MinimumLength: 8, RequireLowercase: true, RequireUppercase: true, RequireNumbers: true, RequireSymbols: true, TemporaryPasswordValidityDays: 7 }

/** Triggers are read where the template's functions are known (load-cloud-assembly.ts); `groups` are the pool's AWS::Cognito::UserPoolGroup properties. */
export function templateUserPool(pool: Props, client: Props, groups: readonly Props[] = []): DeployedUserPool {
  const policy = { ...defaultPasswordPolicy, ...pool.Policies?.PasswordPolicy }
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
    ...customAttributesOf(pool.Schema),
    ...groupsOf(groups),
    client: {
      authFlows: authFlowsOf(client.ExplicitAuthFlows),
      // Cognito: a client created without the property (CloudFormation, the API) is LEGACY.
      preventUserExistenceErrors: client.PreventUserExistenceErrors === 'ENABLED',
      tokenValidity: {
        idTokenMinutes: minutes(client.IdTokenValidity, units.IdToken, 60),
        accessTokenMinutes: minutes(client.AccessTokenValidity, units.AccessToken, 60),
        refreshTokenDays: minutes(client.RefreshTokenValidity, units.RefreshToken, 30 * 24 * 60) / (24 * 60),
      },
    },
  }
}

/** `ALLOW_USER_SRP_AUTH`… → the declaration's names, in the declaration's order; the flows the emulator has no use for (custom auth) are dropped. */
function authFlowsOf(explicit: unknown): readonly AuthFlow[] {
  if (!Array.isArray(explicit)) return defaultAuthFlows
  const given = new Set(explicit.map((flow) => String(flow).replace(/^ALLOW_/, '')))
  return (['USER_SRP_AUTH', 'USER_PASSWORD_AUTH', 'REFRESH_TOKEN_AUTH'] as const).filter((flow) => given.has(flow))
}

/** Schema entries that are not standard attributes are custom ones (CloudFormation names them without `custom:`). */
function customAttributesOf(schema: unknown): Pick<UserPoolDeclaration, 'customAttributes'> {
  const custom: Record<string, CustomAttributeDeclaration> = {}
  for (const attribute of Array.isArray(schema) ? (schema as Props[]) : []) {
    const name = String(attribute.Name).replace(/^custom:/, '')
    if (standardAttributes.has(attribute.Name)) continue
    const type = attribute.AttributeDataType === 'Number' ? 'Number' : 'String'
    const constraints = type === 'String' ? { min: attribute.StringAttributeConstraints?.MinLength, max: attribute.StringAttributeConstraints?.MaxLength } : { min: attribute.NumberAttributeConstraints?.MinValue, max: attribute.NumberAttributeConstraints?.MaxValue }
    // CloudFormation carries the bounds as strings; Cognito's default is mutable.
    custom[name] = {
      type,
      mutable: attribute.Mutable !== false,
      ...(constraints.min !== undefined && { min: Number(constraints.min) }),
      ...(constraints.max !== undefined && { max: Number(constraints.max) }),
    }
  }
  return Object.keys(custom).length > 0 ? { customAttributes: custom } : {}
}

function groupsOf(groups: readonly Props[]): Pick<UserPoolDeclaration, 'groups'> {
  if (groups.length === 0) return {}
  const declared: Record<string, GroupDeclaration> = {}
  for (const group of groups) {
    declared[String(group.GroupName)] = {
      ...(group.Description !== undefined && { description: String(group.Description) }),
      ...(group.Precedence !== undefined && { precedence: Number(group.Precedence) }),
    }
  }
  return { groups: declared }
}
