// The local user pool's users, in memory, mirrored to a JSON file in the dev data folder (when
// given) so sign-ins survive a restart. Lookups follow the pool's case sensitivity (AWS recommends
// case-insensitive pools: `UsernameConfiguration.CaseSensitive: false`); the spelling signed up with
// is kept. A verified email is a sign-in alias when the pool declares one.
import { readJsonFile, writeJsonFile } from './json-file.ts'

export interface LocalUser {
  /** As signed up; the `cognito:username` claim. */
  readonly username: string
  /** A UUID, stable for the user's life: the `sub` claim. */
  readonly sub: string
  readonly passwordHash: string
  /** The authenticator app (TOTP, totp.ts): its secret once verified, whether it is on, the last step used. */
  readonly totp?: { readonly secret: string; readonly enabled: boolean; readonly lastStep?: number; readonly deviceName?: string }
  /** A secret AssociateSoftwareToken gave out (with an access token) that VerifySoftwareToken has not confirmed yet. */
  readonly totpPending?: string
  /** SRP's salt and verifier for the password (srp.ts); absent for users stored before SRP sign-in. */
  readonly srp?: { readonly salt: string; readonly verifier: string }
  /** Cognito's UserStatus: FORCE_CHANGE_PASSWORD for a user an administrator created (a temporary password). */
  readonly status: 'UNCONFIRMED' | 'CONFIRMED' | 'FORCE_CHANGE_PASSWORD'
  /** When an administrator's temporary password stops working (epoch ms). */
  readonly temporaryPasswordExpiresAt?: number
  /** Last change (epoch ms), for UserLastModifiedDate; `createdAt` when absent. */
  readonly modifiedAt?: number
  /** Standard attributes, e.g. `email`, plus Cognito's `email_verified` ("true"/"false"). */
  readonly attributes: Readonly<Record<string, string>>
  /** Pending sign-up confirmation (when auto-confirm is off). */
  readonly confirmation?: { readonly code: string; readonly expiresAt: number }
  readonly createdAt: number
  /** Sign-ins (their `origin_jti`) whose refresh token was revoked, until when (epoch ms) it would have lived. */
  readonly revoked?: Readonly<Record<string, number>>
  /** A password reset asked for with ForgotPassword (forgot-password.ts). */
  readonly passwordReset?: { readonly code: string; readonly expiresAt: number }
  /**
   * A code sent to verify an email (user-attributes.ts): the current address, or a new one that replaces
   * it only once verified (Cognito's "keep original attribute value active when an update is pending").
   */
  readonly emailVerification?: { readonly email: string; readonly code: string; readonly expiresAt: number }
  /** The declared groups the user is in (AdminAddUserToGroup). */
  readonly groups?: readonly string[]
  /** When (epoch ms) GlobalSignOut last ended the user's sign-ins (global-sign-out.ts). */
  readonly signedOutAt?: number
}

interface StoredUsers {
  readonly version: 1
  readonly users: readonly LocalUser[]
}

export class UserStore {
  private saving: Promise<void> = Promise.resolve()

  private constructor(
    private readonly users: Map<string, LocalUser>,
    private readonly file: string | undefined,
    private readonly keyOf: (name: string) => string,
  ) {}

  static async open(file: string | undefined, caseSensitive: boolean): Promise<UserStore> {
    const stored = file ? ((await readJsonFile(file)) as StoredUsers | undefined) : undefined
    if (stored && stored.version !== 1) throw new Error(`${file} is not a local Cognito user file`)
    const keyOf = caseSensitive ? (name: string) => name.normalize('NFC') : (name: string) => name.normalize('NFC').toLowerCase()
    return new UserStore(new Map((stored?.users ?? []).map((u) => [keyOf(u.username), u])), file, keyOf)
  }

  get(username: string): LocalUser | undefined {
    return this.users.get(this.keyOf(username))
  }

  /**
   * The user whose verified email this is: an email is an alias of one user at most, and only once
   * verified. A scan: a local pool holds a handful of users, and sign-in by username is the common case.
   */
  withVerifiedEmail(email: string): LocalUser | undefined {
    const key = this.keyOf(email)
    for (const user of this.users.values()) {
      if (user.attributes.email_verified === 'true' && user.attributes.email !== undefined && this.keyOf(user.attributes.email) === key) return user
    }
    return undefined
  }

  /** Every user, in sign-up order (ListUsers). */
  all(): LocalUser[] {
    return [...this.users.values()].sort((a, b) => a.createdAt - b.createdAt)
  }

  /** Removes the user; resolves once the file (if any) holds the change. */
  delete(username: string): Promise<void> {
    this.users.delete(this.keyOf(username))
    return this.save()
  }

  /** Adds or replaces users; resolves once the file (if any) holds the change. */
  put(...users: LocalUser[]): Promise<void> {
    for (const user of users) this.users.set(this.keyOf(user.username), user)
    return this.save()
  }

  private save(): Promise<void> {
    const file = this.file
    if (!file) return Promise.resolve()
    // Writes are chained so an older snapshot never lands after a newer one.
    const snapshot: StoredUsers = { version: 1, users: [...this.users.values()] }
    this.saving = this.saving.catch(() => {}).then(() => writeJsonFile(file, snapshot))
    return this.saving
  }

  /** Waits for pending writes. */
  async flush(): Promise<void> {
    await this.saving.catch(() => {})
  }
}
