// What a user keeps of a password: every operation that sets one (SignUp, an administrator's
// password, a new or reset password) stores what this returns, so each way of proving the password
// later (USER_PASSWORD_AUTH's hash, SRP's verifier) agrees with the others.
import type { OperationDeps } from './cognito-operations.ts'
import { hashPassword } from './password-hash.ts'
import { srpFields } from './srp-auth.ts'
import type { LocalUser } from './user-store.ts'

export type PasswordFields = Pick<LocalUser, 'passwordHash' | 'srp'>

export async function passwordFields(deps: Pick<OperationDeps, 'settings'>, username: string, password: string): Promise<PasswordFields> {
  return { passwordHash: await hashPassword(password), ...srpFields(deps, username, password) }
}
