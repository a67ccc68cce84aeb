// The local user pool's users, in memory, mirrored to a JSON file in the dev data folder (when
// given) so sign-ins survive a restart. Usernames are case-insensitive, as AWS recommends for new
// pools (`UsernameConfiguration.CaseSensitive: false`); the spelling signed up with is kept.
import { readJsonFile, writeJsonFile } from './json-file.ts'

export interface LocalUser {
  /** As signed up; the `cognito:username` claim. */
  readonly username: string
  /** A UUID, stable for the user's life: the `sub` claim. */
  readonly sub: string
  readonly passwordHash: string
  readonly status: 'UNCONFIRMED' | 'CONFIRMED'
  /** Standard attributes given at sign-up, e.g. `email`. */
  readonly attributes: Readonly<Record<string, string>>
  /** Pending sign-up confirmation (when auto-confirm is off). */
  readonly confirmation?: { readonly code: string; readonly expiresAt: number }
  readonly createdAt: number
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
  ) {}

  static async open(file: string | undefined): Promise<UserStore> {
    const stored = file ? ((await readJsonFile(file)) as StoredUsers | undefined) : undefined
    if (stored && stored.version !== 1) throw new Error(`${file} is not a local Cognito user file`)
    return new UserStore(new Map((stored?.users ?? []).map((u) => [keyOf(u.username), u])), file)
  }

  get(username: string): LocalUser | undefined {
    return this.users.get(keyOf(username))
  }

  /** Adds or replaces a user; resolves once the file (if any) holds the change. */
  put(user: LocalUser): Promise<void> {
    this.users.set(keyOf(user.username), user)
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

function keyOf(username: string): string {
  return username.normalize('NFC').toLowerCase()
}
