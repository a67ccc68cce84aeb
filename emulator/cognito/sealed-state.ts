// What a challenge must remember between its two calls, handed to the client sealed instead of kept
// in server memory: encrypted and authenticated with the pool's own key (AES-256-GCM, as its refresh
// tokens), marked with its purpose so one kind can never be replayed as another, and with an expiry.
// Cognito's SECRET_BLOCK and Session strings are opaque in the same way.
import { EncryptJWT, errors, jwtDecrypt, type JWTPayload } from 'jose'

export class SealedState {
  constructor(private readonly key: Uint8Array) {}

  async seal(purpose: string, claims: JWTPayload, lifetimeSeconds: number): Promise<string> {
    const now = Math.floor(Date.now() / 1000)
    return new EncryptJWT({ ...claims, purpose })
      .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
      .setIssuedAt(now)
      .setExpirationTime(now + lifetimeSeconds)
      .encrypt(this.key)
  }

  /** The claims, or why they cannot be used. */
  async open(purpose: string, sealed: string): Promise<JWTPayload | 'invalid' | 'expired'> {
    try {
      const { payload } = await jwtDecrypt(sealed, this.key, { keyManagementAlgorithms: ['dir'], contentEncryptionAlgorithms: ['A256GCM'] })
      return payload.purpose === purpose ? payload : 'invalid'
    } catch (error) {
      return error instanceof errors.JWTExpired ? 'expired' : 'invalid'
    }
  }
}
