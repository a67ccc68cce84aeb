// What Cognito would send by email, offline: each code or temporary password goes to a callback
// (tests, `startEmulator({ cognito: { onCode } })`) or, by default, to the emulator's log, where the
// developer reads it.

export interface CodeDelivery {
  /** Why it was sent: the operation that asked for it. */
  readonly purpose: 'SignUp' | 'ForgotPassword' | 'VerifyUserAttribute' | 'AdminCreateUser'
  readonly username: string
  /** The code, or for `AdminCreateUser` the temporary password. */
  readonly code: string
}

const sentences: Readonly<Record<CodeDelivery['purpose'], string>> = {
  SignUp: 'confirmation code',
  ForgotPassword: 'password reset code',
  VerifyUserAttribute: 'verification code',
  AdminCreateUser: 'temporary password',
}

export function printCode(delivery: CodeDelivery): void {
  console.log(`local Cognito: ${sentences[delivery.purpose]} for ${delivery.username}: ${delivery.code}`)
}

/** Cognito's CodeDeliveryDetails for an email: where the code went, without showing the address (`a***@e***`). */
export function emailDelivery(email: string) {
  const [local, domain = ''] = email.split('@')
  return { AttributeName: 'email', DeliveryMedium: 'EMAIL', Destination: `${local.slice(0, 1)}***@${domain.slice(0, 1)}***` }
}
