// The pool's Lambda triggers (developer guide, "Customizing user pool workflows with Lambda triggers"):
// PreSignUp, PostConfirmation and PreTokenGeneration (version 1), each the function the declaration
// names, run in the emulator's sandboxes with Cognito's event: `version`, `triggerSource`, `region`,
// `userPoolId`, `userName`, `callerContext` and the trigger's `request`, with `response` for the
// function to fill and return. What Cognito answers when a trigger fails:
// - the function's error: UserLambdaValidationException "<Trigger> failed with error <message>."
//   (the text clients show, e.g. amplify-flutter#1051);
// - a return that is not the event's shape: InvalidLambdaResponseException "Unrecognizable lambda output";
// - no answer within Cognito's 5 seconds, or a throttled function: UnexpectedLambdaException (INF: the
//   text here names the cause).
// PreTokenGeneration may not touch the claims Cognito reserves (the guide's list); INF: refused here as
// an unrecognizable output, so a function that would misbehave on AWS fails offline first.
import type { UserPoolTriggers as TriggerDeclarations } from '../../src/user-pool-declaration.ts'
import { CognitoError } from './cognito-error.ts'
import type { LocalUser } from './user-store.ts'

export type TriggerName = keyof TriggerDeclarations

/** How a trigger's function ran: what it returned, its error, or why it did not run. */
export type TriggerOutcome =
  | { readonly kind: 'ok'; readonly result: unknown }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'timeout' | 'throttled' }

/** Runs the named function of the API declaration with an event, waiting at most `waitMs`. */
export type InvokeTrigger = (functionName: string, event: Record<string, unknown>, waitMs: number) => Promise<TriggerOutcome>

/** Cognito waits 5 seconds for a trigger (developer guide, "Important considerations"). */
export const triggerWaitMs = 5000

/** The triggers the local Cognito runs, by Cognito's names for them (its errors', CloudFormation's LambdaConfig keys). */
export const triggerEventNames: Readonly<Record<TriggerName, string>> = { preSignUp: 'PreSignUp', postConfirmation: 'PostConfirmation', preTokenGeneration: 'PreTokenGeneration' }

/** Claims a version 1 PreTokenGeneration response may not add, override or suppress. */
const reservedClaims = new Set(['acr', 'amr', 'aud', 'auth_time', 'azp', 'exp', 'iat', 'identities', 'iss', 'jti', 'nbf', 'nonce', 'origin_jti', 'sub', 'token_use', 'event_id', 'at_hash', 'cognito:username', 'cognito:groups', 'cognito:roles', 'cognito:preferred_role'])

export interface SignUpAnswer {
  readonly autoConfirmUser: boolean
  readonly autoVerifyEmail: boolean
}

/** What PreTokenGeneration made of the ID token: claims to add or override, to suppress, and the groups. */
export interface ClaimsOverride {
  readonly add: Readonly<Record<string, string>>
  readonly suppress: readonly string[]
  readonly groups?: readonly string[]
}

export interface TriggerContext {
  readonly region: string
  readonly userPoolId: string
  readonly clientId: string
}

export class UserPoolTriggers {
  constructor(
    private readonly declared: Readonly<Partial<Record<TriggerName, string>>>,
    private readonly invoke: InvokeTrigger | undefined,
    private readonly context: TriggerContext,
  ) {
    const unrunnable = Object.keys(declared).filter((name) => declared[name as TriggerName] !== undefined)
    if (unrunnable.length > 0 && !invoke) throw new Error(`The user pool declares triggers (${unrunnable.join(', ')}) but this local Cognito runs no functions`)
  }

  /** PreSignUp_SignUp or PreSignUp_AdminCreateUser; throws Cognito's error when the function refuses the user. */
  async preSignUp(source: 'PreSignUp_SignUp' | 'PreSignUp_AdminCreateUser', username: string, attributes: Readonly<Record<string, string>>, validationData: unknown): Promise<SignUpAnswer> {
    const none = { autoConfirmUser: false, autoVerifyEmail: false }
    const response = await this.run('preSignUp', source, username, {
      userAttributes: attributes,
      validationData: nameValueMap(validationData),
      clientMetadata: {},
    }, { ...none, autoVerifyPhone: false })
    if (response === undefined) return none
    const { autoConfirmUser = false, autoVerifyEmail = false, autoVerifyPhone = false } = response as Record<string, unknown>
    if (typeof autoConfirmUser !== 'boolean' || typeof autoVerifyEmail !== 'boolean' || typeof autoVerifyPhone !== 'boolean') throw unrecognizable()
    // The guide: with autoVerifyEmail the email attribute must have a value, "otherwise an error occurs".
    if (autoVerifyEmail && !attributes.email) throw unrecognizable()
    return { autoConfirmUser, autoVerifyEmail }
  }

  /** PostConfirmation_ConfirmSignUp or PostConfirmation_ConfirmForgotPassword, once the change is stored. */
  async postConfirmation(source: 'PostConfirmation_ConfirmSignUp' | 'PostConfirmation_ConfirmForgotPassword', user: LocalUser): Promise<void> {
    await this.run('postConfirmation', source, user.username, { userAttributes: userAttributes(user), clientMetadata: {} }, {})
  }

  /** Version 1: what the function changes of the ID token, or nothing when no trigger is declared. */
  async preTokenGeneration(source: string, user: LocalUser, groups: readonly string[]): Promise<ClaimsOverride | undefined> {
    const response = await this.run('preTokenGeneration', source, user.username, {
      userAttributes: userAttributes(user),
      groupConfiguration: { groupsToOverride: [...groups], iamRolesToOverride: [], preferredRole: null },
      clientMetadata: {},
    }, { claimsOverrideDetails: null })
    if (response === undefined) return undefined
    const details = (response as Record<string, unknown>).claimsOverrideDetails
    if (details === null || details === undefined) return { add: {}, suppress: [] }
    if (typeof details !== 'object' || Array.isArray(details)) throw unrecognizable()
    const { claimsToAddOrOverride = {}, claimsToSuppress = [], groupOverrideDetails } = details as Record<string, unknown>
    const add = claimsToAddOrOverride ?? {}
    const suppress = claimsToSuppress ?? []
    if (typeof add !== 'object' || Array.isArray(add) || !Array.isArray(suppress)) throw unrecognizable()
    const names = [...Object.keys(add), ...suppress.map(String)]
    if (names.some((name) => reservedClaims.has(name))) throw unrecognizable()
    if (Object.values(add).some((value) => typeof value !== 'string') || suppress.some((name) => typeof name !== 'string')) throw unrecognizable()
    const override = groupOverrideDetails as { groupsToOverride?: unknown } | null | undefined
    const groupList = override?.groupsToOverride
    if (groupList !== undefined && groupList !== null && (!Array.isArray(groupList) || groupList.some((g) => typeof g !== 'string'))) throw unrecognizable()
    return { add: add as Record<string, string>, suppress: suppress as string[], ...(Array.isArray(groupList) ? { groups: groupList as string[] } : {}) }
  }

  /** The function's `response`, or undefined when the pool declares no such trigger. */
  private async run(trigger: TriggerName, source: string, userName: string, request: Record<string, unknown>, response: Record<string, unknown>): Promise<unknown> {
    const fn = this.declared[trigger]
    if (fn === undefined || !this.invoke) return undefined
    const event = {
      version: '1',
      triggerSource: source,
      region: this.context.region,
      userPoolId: this.context.userPoolId,
      userName,
      callerContext: { awsSdkVersion: 'aws-sdk-unknown-unknown', clientId: this.context.clientId },
      request,
      response,
    }
    const outcome = await this.invoke(fn, event, triggerWaitMs)
    const name = triggerEventNames[trigger]
    if (outcome.kind === 'error') throw new CognitoError('UserLambdaValidationException', `${name} failed with error ${outcome.message}.`)
    if (outcome.kind !== 'ok') {
      const cause = outcome.kind === 'timeout' ? 'Socket timeout while invoking Lambda function' : 'TooManyRequestsException'
      throw new CognitoError('UnexpectedLambdaException', `${name} invocation failed due to error ${cause}.`)
    }
    const result = outcome.result
    if (typeof result !== 'object' || result === null || Array.isArray(result)) throw unrecognizable()
    const answered = (result as Record<string, unknown>).response
    if (answered === null || answered === undefined) return {}
    if (typeof answered !== 'object' || Array.isArray(answered)) throw unrecognizable()
    return answered
  }
}

function unrecognizable(): CognitoError {
  return new CognitoError('InvalidLambdaResponseException', 'Unrecognizable lambda output')
}

/** Cognito's `request.userAttributes`: the stored attributes with `sub` and the user's status. */
function userAttributes(user: LocalUser): Record<string, string> {
  return { sub: user.sub, ...user.attributes, 'cognito:user_status': user.status }
}

/** `ValidationData`, a list of `{Name, Value}`, as the map the event carries. */
function nameValueMap(value: unknown): Record<string, string> {
  if (!Array.isArray(value)) return {}
  return Object.fromEntries(value.filter((item) => typeof item?.Name === 'string').map((item) => [item.Name, String(item.Value ?? '')]))
}
