// Who may chat: the Cognito user pool of src/user-pool.ts (the emulator's local Cognito enforces the
// same declaration), and the public web client the page signs in with (SRP plus refresh,
// no secret: a browser cannot keep one). The authorizer verifies the pool's tokens, so its issuer and
// client id come from here. What the declaration does not cover is AWS-only: the feature plan, how
// emails go out, account recovery, retention.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import {
  AccountRecovery,
  FeaturePlan,
  Mfa,
  NumberAttribute,
  StringAttribute,
  UserPool,
  UserPoolClient,
  UserPoolOperation,
  type ICustomAttribute,
  type StandardAttributes,
} from 'aws-cdk-lib/aws-cognito'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { Construct } from 'constructs'
import {
  defaultAuthFlows,
  type CustomAttributeDeclaration,
  type MfaMode,
  type StandardAttribute,
  type UserPoolDeclaration,
  type UserPoolTriggers,
} from '../src/user-pool-declaration.ts'
import { DeclarationError } from './declaration-error.ts'

export interface ChatUserPoolProps {
  readonly name: string
  readonly declaration: UserPoolDeclaration
  /** The MFA mode to deploy: the declared default unless the stack's config overrides it. */
  readonly mfa: MfaMode
  /** Production accounts survive a stack deletion. */
  readonly production: boolean
}

const mfaModes = { OFF: Mfa.OFF, OPTIONAL: Mfa.OPTIONAL, REQUIRED: Mfa.REQUIRED } as const

/** Cognito's attribute names as CDK's `standardAttributes` keys. */
const cdkAttributeKeys: Readonly<Record<StandardAttribute, keyof StandardAttributes>> = {
  address: 'address',
  birthdate: 'birthdate',
  email: 'email',
  family_name: 'familyName',
  gender: 'gender',
  given_name: 'givenName',
  locale: 'locale',
  middle_name: 'middleName',
  name: 'fullname',
  nickname: 'nickname',
  phone_number: 'phoneNumber',
  picture: 'profilePicture',
  preferred_username: 'preferredUsername',
  profile: 'profilePage',
  updated_at: 'lastUpdateTime',
  website: 'website',
  zoneinfo: 'timezone',
}

const triggerOperations: Readonly<Record<keyof UserPoolTriggers, UserPoolOperation>> = {
  preSignUp: UserPoolOperation.PRE_SIGN_UP,
  postConfirmation: UserPoolOperation.POST_CONFIRMATION,
  preTokenGeneration: UserPoolOperation.PRE_TOKEN_GENERATION,
}

function customAttribute(attribute: CustomAttributeDeclaration): ICustomAttribute {
  const { min, max, mutable } = attribute
  return attribute.type === 'String' ? new StringAttribute({ minLen: min, maxLen: max, mutable }) : new NumberAttribute({ min, max, mutable })
}

export class ChatUserPool extends Construct {
  readonly userPool: UserPool
  readonly webClient: UserPoolClient

  constructor(scope: Construct, id: string, props: ChatUserPoolProps) {
    super(scope, id)
    const { declaration: pool } = props
    const policy = pool.passwordPolicy
    const validity = pool.client.tokenValidity
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: props.name,
      // Lite covers password sign-in, refresh and TOTP MFA; Essentials/Plus features are not used.
      featurePlan: FeaturePlan.LITE,
      selfSignUpEnabled: pool.selfSignUp,
      signInAliases: { username: pool.signInAliases.username, email: pool.signInAliases.email },
      signInCaseSensitive: pool.signInCaseSensitive,
      standardAttributes: Object.fromEntries(pool.requiredAttributes.map((name) => [cdkAttributeKeys[name], { required: true, mutable: true }])),
      customAttributes: Object.fromEntries(Object.entries(pool.customAttributes ?? {}).map(([name, attribute]) => [name, customAttribute(attribute)])),
      // Cognito emails a code; the page confirms the sign-up with it (ConfirmSignUp).
      autoVerify: { email: pool.autoVerify.email },
      // A changed email stays unverified (and no sign-in alias) until its code is entered.
      ...(pool.autoVerify.email && { keepOriginal: { email: true } }),
      accountRecovery: pool.autoVerify.email ? AccountRecovery.EMAIL_ONLY : AccountRecovery.NONE,
      passwordPolicy: {
        minLength: policy.minLength,
        requireLowercase: policy.requireLowercase,
        requireUppercase: policy.requireUppercase,
        requireDigits: policy.requireDigits,
        requireSymbols: policy.requireSymbols,
        tempPasswordValidity: Duration.days(policy.tempPasswordValidityDays),
      },
      mfa: mfaModes[props.mfa],
      // Authenticator apps only: SMS would need an SNS role, a spending limit and per-message charges.
      ...(props.mfa !== 'OFF' && { mfaSecondFactor: { otp: true, sms: false } }),
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    })
    for (const [name, group] of Object.entries(pool.groups ?? {})) {
      // Named for the group, so reordering the declaration replaces no group (and loses no membership).
      this.userPool.addGroup(`Group${name.replace(/[^A-Za-z0-9]/g, (c) => `_${c.codePointAt(0)}_`)}`, { groupName: name, description: group.description, precedence: group.precedence })
    }
    const flows = pool.client.authFlows ?? defaultAuthFlows
    if (!flows.includes('REFRESH_TOKEN_AUTH')) throw new DeclarationError('user pool: client.authFlows must include REFRESH_TOKEN_AUTH (CDK allows it on every client)')
    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'web',
      generateSecret: false,
      // The declared flows (the page signs in with SRP); CDK adds ALLOW_REFRESH_TOKEN_AUTH to every client with auth flows.
      authFlows: { userSrp: flows.includes('USER_SRP_AUTH'), userPassword: flows.includes('USER_PASSWORD_AUTH') },
      // The page talks to the Cognito API directly; no hosted UI, so no OAuth flows or callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: pool.client.preventUserExistenceErrors,
      enableTokenRevocation: true,
      idTokenValidity: Duration.minutes(validity.idTokenMinutes),
      accessTokenValidity: Duration.minutes(validity.accessTokenMinutes),
      refreshTokenValidity: Duration.days(validity.refreshTokenDays),
    })
    if (props.mfa !== 'REQUIRED') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional by default (src/user-pool.ts): users opt in to an authenticator app from the page. chat:mfa REQUIRED makes it required; the page then walks every new account through adding an authenticator (MFA_SETUP) before its first sign-in completes.',
      })
    }
    const litePlan =
      'Threat protection (advanced security) needs the Plus feature plan, priced per monthly active user; this pool uses the Lite plan (password sign-in, refresh, TOTP MFA), which is all the chat uses.'
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: litePlan }, { id: 'AwsSolutions-COG8', reason: litePlan })
  }

  /**
   * The declared triggers, each the given function (its alias: provisioned concurrency covers sign-ups too).
   * Version 1 of PreTokenGeneration: the Lite plan's (ID-token claims and groups).
   */
  addTriggers(triggers: UserPoolTriggers, functionOf: (name: string) => IFunction): void {
    for (const [trigger, name] of Object.entries(triggers)) {
      if (name !== undefined) this.userPool.addTrigger(triggerOperations[trigger as keyof UserPoolTriggers], functionOf(name))
    }
  }

  /** The `iss` claim of this pool's tokens: `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`. */
  get issuer(): string {
    return `https://${this.userPool.userPoolProviderName}`
  }
}
