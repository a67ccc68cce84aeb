// Phase 4: bad tokens at the handshake. Each is forged from a genuine one with one thing changed
// (e2e/token-forge.ts, with the pool's key read from the emulator's --data folder) and must be
// refused before `$connect` runs: the emulator's JSON log shows which functions ran for the attempt.
import { join } from 'node:path'
import { keysFileName } from '../../emulator/cognito/local-cognito.ts'
import { loadOrCreatePoolKeys } from '../../emulator/cognito/pool-keys.ts'
import { tokenForge } from '../token-forge.ts'
import { HandshakeRejected, TestClient } from '../ws-client.ts'
import type { Supervisor } from './supervisor.ts'

export const badTokensPhase = 'bad tokens'

export interface TokenAttempt {
  readonly name: string
  /** The handshake's HTTP status (101 when accepted). */
  readonly status: number | string
  /** What the authorizer's log line said (`401`, `allow`), or `not invoked`. */
  readonly authorizer: string
  readonly connectRan: boolean
}

const now = () => Math.floor(Date.now() / 1000)

export async function badTokens(sup: Supervisor, dataDir: string): Promise<TokenAttempt[]> {
  sup.enter(badTokensPhase)
  const proc = await sup.ready()
  const keys = await loadOrCreatePoolKeys(proc.cognito.region, join(dataDir, keysFileName))
  const forge = await tokenForge({ cognito: { ...proc.cognito, signingKeysForTests: () => keys.signingKeys } }, 'token-victim')
  const c = forge.claims
  const other = 'anotherappclient0000000000'
  const query = (token: string) => `?token=${encodeURIComponent(token)}`
  const cases: [string, string][] = [
    ['control: the genuine token', query(forge.genuine)],
    ['control: the genuine claims re-signed with the pool key', query(await forge.sign())],
    ['none (no token parameter)', ''],
    ['empty token', '?token='],
    ['garbage', query('garbage')],
    ['three parts of garbage', query('a.b.c')],
    ['alg: none', query(forge.unsigned())],
    ['HS256 keyed with the public key', query(await forge.hs256WithPublicKey())],
    ['expired', query(await forge.sign({ ...c, iat: now() - 7200, auth_time: now() - 7200, exp: now() - 3600 }))],
    ['not yet valid (nbf in an hour)', query(await forge.sign({ ...c, nbf: now() + 3600 }))],
    ['wrong issuer', query(await forge.sign({ ...c, iss: 'https://cognito-idp.us-east-1.amazonaws.com/us-east-1_SomeOther1' }))],
    ['wrong audience', query(await forge.sign({ ...c, aud: other }))],
    ['wrong client id (access token of another client)', query(await forge.sign({ ...c, token_use: 'access', client_id: other, aud: undefined }))],
    ['wrong token_use (refresh)', query(await forge.sign({ ...c, token_use: 'refresh' }))],
    ['unknown kid', query(await forge.sign(c, { kid: 'no-such-key-id' }))],
    ['tampered payload (another username and sub, signature kept)', query(forge.tampered({ 'cognito:username': 'admin', sub: '00000000-0000-0000-0000-000000000000' }))],
    ["another pool's key (fresh RSA key, the pool key's kid)", query(await forge.signWithAnotherKey())],
  ]
  const attempts: TokenAttempt[] = []
  for (const [name, q] of cases) {
    const proc = await sup.ready()
    const from = proc.log.length
    const status = await TestClient.connect(`${proc.url}${q}`).then(
      async (client) => {
        await client.close()
        return 101
      },
      (error: unknown) => (error instanceof HandshakeRejected ? error.status : String(error).slice(0, 60)),
    )
    // The authorizer's line (when it ran) comes before the handshake answer; give $connect time to show.
    await proc.waitForLog((e) => e.routeKey === '$connect' && e.function === 'authorize', from, 1000).catch(() => undefined)
    await new Promise((r) => setTimeout(r, 200))
    const lines = proc.log.slice(from).filter((e) => e.routeKey === '$connect')
    attempts.push({
      name,
      status,
      authorizer: lines.find((e) => e.function === 'authorize')?.status ?? 'not invoked',
      connectRan: lines.some((e) => e.function === 'connect'),
    })
  }
  return attempts
}
