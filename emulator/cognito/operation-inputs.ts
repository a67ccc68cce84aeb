// The request members each operation reads, parsed once at the edge as Cognito does: first the API
// model's constraints on every member (member-constraints.ts: all violations in one
// InvalidParameterException), then the app client the request names (this pool has exactly one).
// Members the local pool ignores (ClientMetadata, UserContextData, AnalyticsMetadata) are not read.
import { CognitoError } from './cognito-error.ts'
import { shapes, Violations } from './member-constraints.ts'

type Json = Record<string, unknown>

export interface SignUpInput {
  readonly username: string
  readonly password: string
  /** Checked against the model here; against the pool's schema by sign-up-attributes.ts. */
  readonly userAttributes: unknown
}

export interface ConfirmSignUpInput {
  readonly username: string
  readonly confirmationCode: string
  readonly forceAliasCreation: boolean
}

export interface InitiateAuthInput {
  readonly authFlow: string
  readonly authParameters: Readonly<Record<string, string>>
}

/** The model's AuthFlowType. */
const authFlows = ['USER_SRP_AUTH', 'REFRESH_TOKEN_AUTH', 'REFRESH_TOKEN', 'CUSTOM_AUTH', 'ADMIN_NO_SRP_AUTH', 'USER_PASSWORD_AUTH', 'ADMIN_USER_PASSWORD_AUTH', 'USER_AUTH']

export function signUpInput(clientId: string, input: Json): SignUpInput {
  const v = new Violations()
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  v.string('secretHash', input.SecretHash, shapes.SecretHashType, false)
  const username = v.string('username', input.Username, shapes.UsernameType, true)
  // Optional in the model (passwordless pools); every pool declared here signs in with a password.
  const password = v.string('password', input.Password, shapes.PasswordType, true)
  attributeList(v, 'userAttributes', input.UserAttributes)
  attributeList(v, 'validationData', input.ValidationData)
  v.throwIfAny()
  checkClient(clientId, client)
  return { username, password, userAttributes: input.UserAttributes }
}

export function confirmSignUpInput(clientId: string, input: Json): ConfirmSignUpInput {
  const v = new Violations()
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  v.string('secretHash', input.SecretHash, shapes.SecretHashType, false)
  const username = v.string('username', input.Username, shapes.UsernameType, true)
  const confirmationCode = v.string('confirmationCode', input.ConfirmationCode, shapes.ConfirmationCodeType, true)
  v.throwIfAny()
  checkClient(clientId, client)
  return { username, confirmationCode, forceAliasCreation: input.ForceAliasCreation === true }
}

export function initiateAuthInput(clientId: string, input: Json): InitiateAuthInput {
  const v = new Violations()
  const authFlow = v.string('authFlow', input.AuthFlow, { enum: authFlows }, true)
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  const authParameters = v.stringMap('authParameters', input.AuthParameters)
  v.throwIfAny()
  checkClient(clientId, client)
  return { authFlow, authParameters }
}

/** GetTokensFromRefreshToken: the refresh token as RevokeToken takes it, named `RefreshToken`. */
export function refreshTokenInput(clientId: string, input: Json): { readonly token: string } {
  const v = new Violations()
  const token = v.string('refreshToken', input.RefreshToken, shapes.TokenModelType, true)
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  v.string('clientSecret', input.ClientSecret, shapes.SecretHashType, false)
  v.throwIfAny()
  checkClient(clientId, client)
  return { token }
}

export function revokeTokenInput(clientId: string, input: Json): { readonly token: string } {
  const v = new Violations()
  const token = v.string('token', input.Token, shapes.TokenModelType, true)
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  v.string('clientSecret', input.ClientSecret, shapes.SecretHashType, false)
  v.throwIfAny()
  checkClient(clientId, client)
  return { token }
}

/** ForgotPassword: the user, by name or alias. */
export function forgotPasswordInput(clientId: string, input: Json): { readonly username: string } {
  const v = new Violations()
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  v.string('secretHash', input.SecretHash, shapes.SecretHashType, false)
  const username = v.string('username', input.Username, shapes.UsernameType, true)
  v.throwIfAny()
  checkClient(clientId, client)
  return { username }
}

export interface ConfirmForgotPasswordInput {
  readonly username: string
  readonly confirmationCode: string
  readonly password: string
}

export function confirmForgotPasswordInput(clientId: string, input: Json): ConfirmForgotPasswordInput {
  const v = new Violations()
  const client = v.string('clientId', input.ClientId, shapes.ClientIdType, true)
  v.string('secretHash', input.SecretHash, shapes.SecretHashType, false)
  const username = v.string('username', input.Username, shapes.UsernameType, true)
  const confirmationCode = v.string('confirmationCode', input.ConfirmationCode, shapes.ConfirmationCodeType, true)
  const password = v.string('password', input.Password, shapes.PasswordType, true)
  v.throwIfAny()
  checkClient(clientId, client)
  return { username, confirmationCode, password }
}

/** ChangePassword: the two passwords (the access token is access-token-user.ts's). */
export function changePasswordInput(input: Json): { readonly previous: string; readonly proposed: string } {
  const v = new Violations()
  const previous = v.string('previousPassword', input.PreviousPassword, shapes.PasswordType, true)
  const proposed = v.string('proposedPassword', input.ProposedPassword, shapes.PasswordType, true)
  v.throwIfAny()
  return { previous, proposed }
}

function checkClient(clientId: string, given: string): void {
  if (given !== clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${given} does not exist.`)
}

/** A list of AttributeType (`{ Name, Value }`): members are named by their 1-based index, as AWS names them. */
function attributeList(v: Violations, path: string, value: unknown): void {
  if (!Array.isArray(value)) return
  value.forEach((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) return
    const { Name: name, Value: attributeValue } = item as { Name?: unknown; Value?: unknown }
    v.string(`${path}.${i + 1}.member.name`, name, shapes.AttributeNameType, true)
    v.string(`${path}.${i + 1}.member.value`, attributeValue, shapes.AttributeValueType, false)
  })
}
