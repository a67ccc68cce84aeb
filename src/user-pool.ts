// The chat's user pool, declared once. infra/ deploys it as the Cognito user pool and web client; the
// emulator's local Cognito enforces the same rules offline (`npm run dev` passes `--user-pool src/user-pool.ts`).
// Values chosen to pass cdk-nag's AwsSolutions checks (COG1: 8+ characters with every character class).
import type { UserPoolDeclaration } from './user-pool-declaration.ts'

export const userPool = {
  selfSignUp: true,
  // People sign in with their username or, once it is verified, their email address.
  signInAliases: { username: true, email: true },
  signInCaseSensitive: false,
  // Where Cognito sends the sign-up code and, later, password resets.
  requiredAttributes: ['email'],
  autoVerify: { email: true },
  passwordPolicy: {
    minLength: 12,
    requireLowercase: true,
    requireUppercase: true,
    requireDigits: true,
    requireSymbols: true,
    tempPasswordValidityDays: 3,
  },
  // Users may opt in to an authenticator app.
  mfa: 'OPTIONAL',
  client: {
    // SRP only (the password never leaves the page) and refresh: USER_PASSWORD_AUTH would let any
    // holder of a password try it against the API with no client-side proof.
    authFlows: ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH'],
    preventUserExistenceErrors: true,
    tokenValidity: { idTokenMinutes: 60, accessTokenMinutes: 60, refreshTokenDays: 30 },
  },
} as const satisfies UserPoolDeclaration
