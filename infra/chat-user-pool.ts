// Who may chat: a Cognito user pool people sign up to themselves, and the public web client the page
// signs in with (USER_PASSWORD_AUTH plus refresh, no secret: a browser cannot keep one). The authorizer
// verifies the pool's tokens, so its issuer and client id come from here.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib'
import { AccountRecovery, FeaturePlan, Mfa, UserPool, UserPoolClient } from 'aws-cdk-lib/aws-cognito'
import { Construct } from 'constructs'
import type { MfaMode } from './stack-config.ts'

export interface ChatUserPoolProps {
  readonly name: string
  readonly mfa: MfaMode
  /** Production accounts survive a stack deletion. */
  readonly production: boolean
}

const mfaModes = { OFF: Mfa.OFF, OPTIONAL: Mfa.OPTIONAL, REQUIRED: Mfa.REQUIRED } as const

export class ChatUserPool extends Construct {
  readonly userPool: UserPool
  readonly webClient: UserPoolClient

  constructor(scope: Construct, id: string, props: ChatUserPoolProps) {
    super(scope, id)
    this.userPool = new UserPool(this, 'Pool', {
      userPoolName: props.name,
      // Lite covers password sign-in, refresh and TOTP MFA; Essentials/Plus features are not used.
      featurePlan: FeaturePlan.LITE,
      selfSignUpEnabled: true,
      // People sign in with their username (as with the emulator's local Cognito) or their email.
      signInAliases: { username: true, email: true },
      signInCaseSensitive: false,
      standardAttributes: { email: { required: true, mutable: true } },
      // Cognito emails a code; the page confirms the sign-up with it (ConfirmSignUp).
      autoVerify: { email: true },
      keepOriginal: { email: true },
      accountRecovery: AccountRecovery.EMAIL_ONLY,
      passwordPolicy: {
        minLength: 12,
        requireLowercase: true,
        requireUppercase: true,
        requireDigits: true,
        requireSymbols: true,
        tempPasswordValidity: Duration.days(3),
      },
      mfa: mfaModes[props.mfa],
      // Authenticator apps only: SMS would need an SNS role, a spending limit and per-message charges.
      ...(props.mfa !== 'OFF' && { mfaSecondFactor: { otp: true, sms: false } }),
      deletionProtection: props.production,
      removalPolicy: props.production ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY,
    })
    this.webClient = this.userPool.addClient('WebClient', {
      userPoolClientName: 'web',
      generateSecret: false,
      // ALLOW_USER_PASSWORD_AUTH; CDK adds ALLOW_REFRESH_TOKEN_AUTH to every client with auth flows.
      authFlows: { userPassword: true },
      // The page talks to the Cognito API directly; no hosted UI, so no OAuth flows or callback URLs.
      disableOAuth: true,
      preventUserExistenceErrors: true,
      enableTokenRevocation: true,
      idTokenValidity: Duration.hours(1),
      accessTokenValidity: Duration.hours(1),
      refreshTokenValidity: Duration.days(30),
    })
    if (props.mfa !== 'REQUIRED') {
      Validations.of(this.userPool).acknowledge({
        id: 'AwsSolutions-COG2',
        reason:
          'MFA is optional by default (chat:mfa): users opt in to an authenticator app. Requiring it would force every user through an MFA set-up the web page does not offer; set chat:mfa to REQUIRED once it does.',
      })
    }
    const litePlan =
      'Threat protection (advanced security) needs the Plus feature plan, priced per monthly active user; this pool uses the Lite plan (password sign-in, refresh, TOTP MFA), which is all the chat uses.'
    Validations.of(this.userPool).acknowledge({ id: 'AwsSolutions-COG3', reason: litePlan }, { id: 'AwsSolutions-COG8', reason: litePlan })
  }

  /** The `iss` claim of this pool's tokens: `https://cognito-idp.{region}.amazonaws.com/{userPoolId}`. */
  get issuer(): string {
    return `https://${this.userPool.userPoolProviderName}`
  }
}
