// A local Cognito user pool with one public app client, on the emulator's HTTP server (design.md §6):
// the user-pool JSON API subset the web client uses, and the pool's JWKS at `<issuer>/.well-known/
// jwks.json`. The issuer is `http://<host>:<port>/<userPoolId>`; the authorizer is configured with it
// exactly as it is with `https://cognito-idp.<region>.amazonaws.com/<userPoolId>` on AWS.
import type { IncomingMessage, ServerResponse } from 'node:http'
import { join } from 'node:path'
import type { UserPoolDeclaration } from '../../src/user-pool-declaration.ts'
import { answerApiCall } from './cognito-http.ts'
import { operationDeps } from './cognito-operations.ts'
import { CorsPolicy } from './cors-policy.ts'
import { loadOrCreatePoolKeys, type SigningKey } from './pool-keys.ts'
import { declaredLifetimes, TokenMinter, type TokenLifetimes } from './token-minter.ts'
import { checkUserPool, defaultUserPool } from './user-pool-rules.ts'
import { UserStore } from './user-store.ts'
import { printCode, type CodeDelivery } from './code-delivery.ts'
import { SealedState } from './sealed-state.ts'
import { UserPoolTriggers, type InvokeTrigger } from './user-pool-triggers.ts'

export interface LocalCognitoOptions {
  /**
   * Confirm users (and verify their email) at sign-up, as a pre-sign-up Lambda trigger answering
   * `autoConfirmUser` and `autoVerifyEmail` would. Default true: offline there is no email to get a code from.
   */
  readonly autoConfirm?: boolean
  /** Shorter lifetimes than the declaration's (tests); the declared ones by default. */
  readonly tokenLifetimes?: Partial<TokenLifetimes>
  /**
   * Where the codes and temporary passwords Cognito would email go (default: printed in the
   * emulator's log): sign-up confirmation when auto-confirm is off, password resets, attribute
   * verification, an administrator's invitation.
   */
  readonly onCode?: (delivery: CodeDelivery) => void
  /** The clock of lockouts and code expiry, in epoch milliseconds (tests); `Date.now` by default. */
  readonly now?: () => number
  /**
   * Origins besides the emulator's own whose pages may call the pool and read its JWKS (CORS), each
   * `scheme://host[:port]`, e.g. a dev server's `http://localhost:5173`. The emulator's own origin
   * (and on a loopback host its localhost / 127.0.0.1 / [::1] spellings) is always allowed.
   */
  readonly allowedOrigins?: readonly string[]
  /** Told of each user given tokens (sign-in, refresh): a monthly active user, as Cognito bills. */
  readonly onActiveUser?: (sub: string) => void
}

export interface LocalCognitoSettings extends LocalCognitoOptions {
  /** The pool's rules (password policy, required attributes, aliases...); Cognito console defaults when absent. */
  readonly pool?: UserPoolDeclaration
  /** The emulator's HTTP origin, `http://127.0.0.1:<port>`: API endpoint and issuer base. */
  readonly endpoint: string
  readonly region: string
  /** Keep the pool's keys and users here (dev); in memory when absent (tests). */
  readonly dataDir?: string
  /** Runs the functions the pool's triggers name (the emulator's sandboxes); needed when it declares any. */
  readonly invokeTrigger?: InvokeTrigger
}

/** What a client needs to talk to the pool, and what the authorizer is configured with. */
export interface LocalCognitoInfo {
  /** The Cognito API endpoint for the SDK's `endpoint` setting. */
  readonly endpoint: string
  readonly region: string
  readonly userPoolId: string
  readonly clientId: string
  /** `iss` of every token; the JWKS is at `${issuer}/.well-known/jwks.json`. */
  readonly issuer: string
  /** The rules the pool enforces: the declaration it was given, or Cognito's console defaults. */
  readonly pool: UserPoolDeclaration
  /** Test-only: the pool's signing keys (the first signs), to mint tokens a real pool never would. */
  signingKeysForTests(): readonly SigningKey[]
}

type Answer = (res: ServerResponse) => Promise<void> | void

export interface LocalCognito extends LocalCognitoInfo {
  /** The handler for a request meant for the pool, or undefined when the request is not one. */
  route(req: IncomingMessage, path: string): Answer | undefined
  /** Waits for pending writes of the user file. */
  close(): Promise<void>
}

export const keysFileName = 'cognito-keys.json'
export const usersFileName = 'cognito-users.json'

export async function createLocalCognito(settings: LocalCognitoSettings): Promise<LocalCognito> {
  const pool = settings.pool ?? defaultUserPool
  checkUserPool(pool)
  const lifetimes = { ...declaredLifetimes(pool.client.tokenValidity), ...settings.tokenLifetimes }
  for (const [name, seconds] of Object.entries(lifetimes)) {
    if (!Number.isInteger(seconds) || seconds <= 0) throw new Error(`tokenLifetimes.${name} must be a positive whole number of seconds`)
  }
  const keys = await loadOrCreatePoolKeys(settings.region, settings.dataDir && join(settings.dataDir, keysFileName))
  const users = await UserStore.open(settings.dataDir && join(settings.dataDir, usersFileName), pool.signInCaseSensitive)
  const endpoint = settings.endpoint.replace(/\/+$/, '')
  const cors = new CorsPolicy(endpoint, settings.allowedOrigins)
  const issuer = `${endpoint}/${keys.userPoolId}`
  const deps = operationDeps({
    settings: {
      userPoolId: keys.userPoolId,
      clientId: keys.clientId,
      pool,
      autoConfirm: settings.autoConfirm ?? true,
      deliverCode: settings.onCode ?? printCode,
    },
    users,
    sealed: new SealedState(keys.refreshKey),
    tokens: new TokenMinter(keys, issuer, lifetimes, settings.onActiveUser),
    triggers: new UserPoolTriggers(pool.triggers ?? {}, settings.invokeTrigger, { region: settings.region, userPoolId: keys.userPoolId, clientId: keys.clientId }),
    now: settings.now ?? Date.now,
  })
  // The keys of an in-memory pool are made on first need (pool-keys.ts), so the JWKS is too.
  const jwks = async () => JSON.stringify({ keys: (await keys.signingKeysMade()).map((k) => k.publicJwk) })
  const openidConfiguration = JSON.stringify({
    issuer,
    jwks_uri: `${issuer}/.well-known/jwks.json`,
    id_token_signing_alg_values_supported: ['RS256'],
    subject_types_supported: ['public'],
    response_types_supported: ['code', 'token'],
  })
  const wellKnown = new Map<string, () => Promise<string> | string>([
    [`/${keys.userPoolId}/.well-known/jwks.json`, jwks],
    [`/${keys.userPoolId}/.well-known/openid-configuration`, () => openidConfiguration],
  ])

  const answerFor = (req: IncomingMessage, path: string): Answer | undefined => {
    const document = wellKnown.get(path)
    if (document !== undefined && (req.method === 'GET' || req.method === 'HEAD')) return async (res) => sendDocument(req, res, cors.headersFor(req.headers.origin), await document())
    if (path !== '/') return undefined
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) return (res) => cors.answerPreflight(req, res)
    if (req.method === 'POST' && req.headers['x-amz-target'] !== undefined) return (res) => answerApiCall(deps, cors.headersFor(req.headers.origin), req, res)
    return undefined
  }

  return {
    endpoint,
    region: settings.region,
    userPoolId: keys.userPoolId,
    clientId: keys.clientId,
    issuer,
    pool,
    signingKeysForTests: () => keys.signingKeys,
    route(req, path) {
      const answer = answerFor(req, path)
      return (
        answer &&
        ((res) => {
          // The first call to the pool (a SignUp, say) starts making the signing keys, so that they
          // are usually ready by the sign-in or JWKS fetch that needs them.
          keys.signingKeysMade().catch(() => {}) // whoever needs them sees a failure
          // An aborted upload fails `req`, a reset socket `res`: the client is gone, nothing to report,
          // and an 'error' event without a listener would end the process.
          req.on('error', () => {})
          res.on('error', () => {})
          return answer(res)
        })
      )
    },
    close: () => users.flush(),
  }
}

function sendDocument(req: IncomingMessage, res: ServerResponse, cors: Readonly<Record<string, string>>, body: string): void {
  req.resume()
  res.writeHead(200, {
    ...cors,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'max-age=3600',
  })
  res.end(req.method === 'HEAD' ? undefined : body)
}
