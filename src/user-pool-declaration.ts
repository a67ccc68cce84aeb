// The format of a user-pool declaration: plain data saying who may sign up and how they sign in. infra/
// deploys it as a Cognito user pool and its web client; the emulator's local Cognito enforces the same
// rules, so a sign-up that works offline works on AWS (design.md §3, "One declaration"). Types only.

/** Cognito's standard (OpenID Connect) user attributes, spelled as the Cognito API spells them. */
export type StandardAttribute =
  | 'address'
  | 'birthdate'
  | 'email'
  | 'family_name'
  | 'gender'
  | 'given_name'
  | 'locale'
  | 'middle_name'
  | 'name'
  | 'nickname'
  | 'phone_number'
  | 'picture'
  | 'preferred_username'
  | 'profile'
  | 'updated_at'
  | 'website'
  | 'zoneinfo'

export type MfaMode = 'OFF' | 'OPTIONAL' | 'REQUIRED'

/**
 * The sign-in flows an app client allows (Cognito's `ExplicitAuthFlows`, without the `ALLOW_`):
 * SRP, where the password never leaves the client; the password itself over TLS; refresh tokens.
 */
export type AuthFlow = 'USER_SRP_AUTH' | 'USER_PASSWORD_AUTH' | 'REFRESH_TOKEN_AUTH'

/** What Cognito allows a client created without `ExplicitAuthFlows` (custom auth aside, which is not emulated). */
export const defaultAuthFlows: readonly AuthFlow[] = ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH']

/** Cognito's password policy; a sign-up with a password that breaks it gets `InvalidPasswordException`. */
export interface PasswordPolicyDeclaration {
  /** 6–99 characters. */
  readonly minLength: number
  readonly requireLowercase: boolean
  readonly requireUppercase: boolean
  readonly requireDigits: boolean
  /** Cognito's symbols: ^ $ * . [ ] { } ( ) ? " ! @ # % & / \ , > < ' : ; | _ ~ ` = + - */
  readonly requireSymbols: boolean
  /** How long a temporary (administrator-set) password lasts, 0–365 days. */
  readonly tempPasswordValidityDays: number
}

/** How long the web client's tokens live (Cognito: ID and access 5 min–1 day, refresh 1 hour–10 years, refresh ≥ both). */
export interface TokenValidityDeclaration {
  readonly idTokenMinutes: number
  readonly accessTokenMinutes: number
  readonly refreshTokenDays: number
}

/**
 * An attribute of the app's own, `custom:<name>` in the API and in ID tokens (Cognito's custom attributes:
 * at most 50, names of 1–20 characters; once deployed they cannot be removed or changed).
 */
export interface CustomAttributeDeclaration {
  /** Values are strings either way; a Number's must be a whole number. */
  readonly type: 'String' | 'Number'
  /** `false`: set at sign-up (or by an administrator) only; UpdateUserAttributes refuses it. */
  readonly mutable: boolean
  /** String: length bounds (Cognito: 0–2048); Number: value bounds. */
  readonly min?: number
  readonly max?: number
}

/** A group users are put in by administrators (AdminAddUserToGroup); tokens list them in `cognito:groups`. */
export interface GroupDeclaration {
  readonly description?: string
  /** Lower comes first (Cognito: 0 to 2^31-1). */
  readonly precedence?: number
}

/**
 * Lambda triggers: each names a function of the API declaration (its `functions` key), which infra
 * deploys as the pool's trigger and the emulator runs in its sandboxes with Cognito's event shapes.
 * Cognito gives a trigger 5 seconds; its error refuses the operation (UserLambdaValidationException).
 */
export interface UserPoolTriggers {
  /** Before a user is created (SignUp, AdminCreateUser): may refuse it, or auto-confirm and auto-verify. */
  readonly preSignUp?: string
  /** After a sign-up is confirmed (ConfirmSignUp, AdminConfirmSignUp) or a forgotten password reset. */
  readonly postConfirmation?: string
  /** Before ID tokens are issued (version 1 event): add, override or suppress claims and groups. */
  readonly preTokenGeneration?: string
}

export interface UserPoolDeclaration {
  /** Whether anyone may sign up (SignUp), or only administrators create users. */
  readonly selfSignUp: boolean
  /**
   * How people sign in: always with their username; with `email: true` also with their email address, once
   * it is verified (Cognito's `AliasAttributes: [email]`). Usernames then may not look like email addresses.
   */
  readonly signInAliases: { readonly username: true; readonly email: boolean }
  /** `false`: `Alice`, `alice` and `ALICE` are one user, and so are differently capitalised emails. */
  readonly signInCaseSensitive: boolean
  /** Standard attributes a sign-up must give (Cognito answers InvalidParameterException without them). */
  readonly requiredAttributes: readonly StandardAttribute[]
  /** Cognito emails a code at sign-up; confirming the sign-up with it verifies the address (ConfirmSignUp). */
  readonly autoVerify: { readonly email: boolean }
  readonly passwordPolicy: PasswordPolicyDeclaration
  /** The default MFA mode (TOTP authenticator apps); a deployment may override it (infra: `chat:mfa`). */
  readonly mfa: MfaMode
  /** Custom attributes by name, without the `custom:` prefix. */
  readonly customAttributes?: Readonly<Record<string, CustomAttributeDeclaration>>
  /** Groups by name. */
  readonly groups?: Readonly<Record<string, GroupDeclaration>>
  readonly triggers?: UserPoolTriggers
  /** The public web client the page signs in with (no secret). */
  readonly client: {
    /** The flows it allows; absent: Cognito's default for a new client (`defaultAuthFlows`). Others are refused. */
    readonly authFlows?: readonly AuthFlow[]
    /** `true`: an unknown user gets the same error as a wrong password (Cognito's `ENABLED`; `false` is `LEGACY`). */
    readonly preventUserExistenceErrors: boolean
    readonly tokenValidity: TokenValidityDeclaration
  }
}

/** What the page needs to know of the pool to guide people (served in its config.json on every host). */
export interface UserPoolPageSettings {
  readonly passwordPolicy: PasswordPolicyDeclaration
  readonly requiredAttributes: readonly StandardAttribute[]
  readonly signInAliases: UserPoolDeclaration['signInAliases']
  /** The MFA mode in force (the deployment's): with OPTIONAL the page offers to turn an authenticator on. */
  readonly mfa: MfaMode
}
