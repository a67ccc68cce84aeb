// A local API Gateway WebSocket API for any declaration: one HTTP server carries the WebSocket
// upgrade, the `@connections` API under the stage path and, when asked, a static site. Everything
// hangs off the returned handle; there is no module-level state, so tests start as many as they like.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import { watch, type FSWatcher } from 'node:fs'
import { once } from 'node:events'
import { resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import type { TableDeclaration } from '../src/tables.ts'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { newApiId } from './aws-ids.ts'
import { checkDeclaration } from './declaration-rules.ts'
import { createFunctions } from './functions.ts'
import { bundleFunctions, type Bundles } from './function-bundler.ts'
import type { InvocationLogger } from './invocation-log.ts'
import { LiveConnections } from './live-connections.ts'
import { localRegion } from './local-credentials.ts'
import { createLocalCognito, type LocalCognito, type LocalCognitoInfo, type LocalCognitoOptions } from './local-cognito/local-cognito.ts'
import { checkUserPool } from './local-cognito/user-pool-rules.ts'
import { startLocalDynamo } from './local-dynamo.ts'
import { handleManagementRequest, managementTarget, rejectForeignManagementPath } from './management-api.ts'
import { serveStatic, type StaticSite } from './static-site.ts'
import { awsLimits, WebSocketGateway, type GatewayLimits } from './websocket-gateway.ts'
import { closeCauses } from './close-causes.ts'
import { rejectHandshake } from './handshake-rejection.ts'
import type { ThrottleSettings } from './token-bucket.ts'
import { startTtlSweeper } from './ttl-sweeper.ts'

export interface EmulatorOptions {
  readonly api: ApiDeclaration
  readonly tables: Readonly<Record<string, TableDeclaration>>
  /** Project root: function entries are relative to it. */
  readonly root: string
  readonly port?: number
  readonly host?: string
  readonly stage?: string
  /** Keep DynamoDB data in this folder; in memory when absent. */
  readonly dataDir?: string
  readonly web?: { readonly dir: string; readonly config?: Record<string, unknown> }
  /** Where handlers' console output goes (default: inherit). */
  readonly functionOutput?: 'inherit' | 'ignore'
  readonly log?: InvocationLogger
  /** Shrink AWS's limits and timers, e.g. in tests. */
  readonly limits?: Partial<GatewayLimits>
  /** Route throttling instead of the declaration's `throttle`; `false` turns it off (e.g. load tests). */
  readonly throttle?: ThrottleSettings | false
  /** How often expired items (declared `timeToLiveAttribute`) are deleted; default 30 s, 0 = never. */
  readonly ttlSweepIntervalMs?: number
  /** Stack traces from handlers point at their sources (dev); costs memory per sandbox. */
  readonly sourceMaps?: boolean
  /** Reload functions when files under these folders change (dev). */
  readonly watch?: readonly string[]
  /**
   * The user pool's declaration (password policy, required attributes, sign-in aliases, token
   * lifetimes...), enforced by the local Cognito as the deployed pool enforces it; without one, the
   * pool has the Cognito console's defaults.
   */
  readonly userPool?: UserPoolDeclaration
  /** The local Cognito's own settings (its keys and users live in `dataDir` when set). */
  readonly cognito?: LocalCognitoOptions
}

export interface Emulator {
  /** `ws://host:port/{stage}` — what clients connect to. */
  readonly url: string
  /** `http://host:port/{stage}` — the `@connections` endpoint for the management API client. */
  readonly callbackUrl: string
  /** `http://host:port` — the web page, when `web` is set. */
  readonly httpUrl: string
  readonly dynamoEndpoint: string
  readonly apiId: string
  readonly stage: string
  /** The local Cognito: what the page and SDK clients need, and the issuer the authorizer trusts. */
  readonly cognito: LocalCognitoInfo
  /** Number of open (or opening) connections. */
  connectionCount(): number
  /** New code for every function: the next invocation cold-starts. Open sockets stay. */
  /** Rebuilds every function from its source; the next invocation cold-starts. Open sockets stay. */
  reload(): Promise<void>
  /** Deletes expired items now (as the periodic TTL sweep does); resolves with how many. */
  sweepExpiredItems(): Promise<number>
  /** Fires `$disconnect` for open sockets, then stops everything. */
  close(): Promise<void>
}

export async function startEmulator(options: EmulatorOptions): Promise<Emulator> {
  const stage = options.stage ?? 'prod'
  const host = options.host ?? '127.0.0.1'
  checkDeclaration(options.api, stage)
  // Refused before anything starts, as the API declaration is (createLocalCognito checks it too).
  if (options.userPool) checkUserPool(options.userPool)
  const apiInfo = { apiId: newApiId(), stage, stageVariables: options.api.stageVariables }
  const dynamo = await startLocalDynamo(options.tables, options.dataDir)
  const connections = new LiveConnections()
  let gateway: WebSocketGateway | undefined
  let site: StaticSite | undefined
  let cognito: LocalCognito | undefined

  const server = createServer((req, res) => void onRequest(req, res))
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost')
    // §1.1: the stage is the first (and only) path segment of the WebSocket URL.
    if (!gateway || url.pathname.replace(/\/$/, '') !== `/${stage}`) return rejectHandshake(socket, 403)
    gateway.upgrade(req, socket, head, url.searchParams).catch((error) => {
      console.error('emulator: handshake failed', error)
      rejectHandshake(socket, 500)
    })
  })

  async function onRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]
    // The local Cognito: its JSON API (`POST /` with X-Amz-Target) and its JWKS.
    const toCognito = cognito?.route(req, path)
    if (toCognito) return toCognito(res)
    const target = managementTarget(stage, path)
    if (target !== undefined && gateway) {
      const g = gateway
      return handleManagementRequest(
        {
          stage,
          connections,
          touched: (c) => g.touched(c),
          deleteConnection: (c) => g.closeBy(c, closeCauses.deleted),
        },
        req,
        res,
        target,
      )
    }
    if (rejectForeignManagementPath(path, req, res)) return
    // §1.2: a plain request to the WebSocket endpoint asks for an upgrade.
    if (path.replace(/\/$/, '') === `/${stage}`) {
      res.writeHead(426, { 'content-type': 'application/json' })
      return void res.end(JSON.stringify({ message: 'Upgrade Required' }))
    }
    if (site && req.method === 'GET') return serveStatic(site, path, res)
    res.writeHead(404, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ message: 'Not Found' }))
  }

  server.listen(options.port ?? 0, host)
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  const origin = `${host.includes(':') ? `[${host}]` : host}:${port}`
  const url = `ws://${origin}/${stage}`
  const callbackUrl = `http://${origin}/${stage}`
  const httpUrl = `http://${origin}`
  try {
    cognito = await createLocalCognito({ ...options.cognito, pool: options.userPool, endpoint: httpUrl, region: localRegion, dataDir: options.dataDir })
  } catch (error) {
    server.close()
    await dynamo.close()
    throw error
  }

  let bundles: Bundles
  try {
    bundles = await bundleFunctions(new Map(Object.entries(options.api.functions).map(([name, fn]) => [name, resolve(options.root, fn.entry)])), {
      sourceMaps: options.sourceMaps,
    })
  } catch (error) {
    server.close()
    await Promise.all([dynamo.close(), cognito.close()])
    throw error
  }
  const functions = createFunctions(
    options.api,
    { callbackUrl, dynamoEndpoint: dynamo.endpoint, userPoolIssuer: cognito.issuer, userPoolClientId: cognito.clientId },
    { bundles, output: options.functionOutput ?? 'inherit', gateway: { host, port } },
  )
  gateway = new WebSocketGateway({
    api: options.api,
    apiInfo,
    functions,
    connections,
    limits: { ...awsLimits, ...options.limits },
    log: options.log,
    throttle: options.throttle === false ? undefined : (options.throttle ?? options.api.throttle),
  })
  const ttl = startTtlSweeper({ client: dynamo.client, tables: options.tables, intervalMs: options.ttlSweepIntervalMs ?? 30_000 })
  if (options.web) {
    // The page signs in against the local Cognito with the same SDK calls it makes to the real one, and
    // shows the pool's rules (what infra's config.json gives it on AWS).
    const { passwordPolicy, requiredAttributes, signInAliases } = cognito.pool
    const pool = {
      endpoint: cognito.endpoint,
      region: cognito.region,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      passwordPolicy,
      requiredAttributes,
      signInAliases,
    }
    const webConfig = { websocketUrl: url, cognito: pool, ...options.web.config }
    site = { dir: options.web.dir, config: () => webConfig }
  }

  // A failed rebuild (a syntax error mid-edit) keeps the last good code running, as a failed
  // deployment leaves the old version live.
  const reload = async () => {
    const errors = await bundles.rebuild()
    if (errors.length > 0) return void console.error(`emulator: functions not reloaded, the build failed:\n${errors.join('\n')}`)
    for (const fn of functions.values()) fn.reload()
  }
  // One save fires several fs events (write, rename, chmod): reload once they settle.
  let reloadTimer: NodeJS.Timeout | undefined
  const changed = () => {
    clearTimeout(reloadTimer)
    reloadTimer = setTimeout(() => void reload(), 50)
  }
  const watchers: FSWatcher[] = (options.watch ?? []).map((dir) => watch(dir, { recursive: true }, changed))

  let closing: Promise<void> | undefined
  return {
    url,
    callbackUrl,
    httpUrl,
    dynamoEndpoint: dynamo.endpoint,
    apiId: apiInfo.apiId,
    stage,
    cognito: {
      endpoint: cognito.endpoint,
      region: cognito.region,
      userPoolId: cognito.userPoolId,
      clientId: cognito.clientId,
      issuer: cognito.issuer,
      pool: cognito.pool,
      signingKeysForTests: cognito.signingKeysForTests,
    },
    connectionCount: () => connections.size,
    reload,
    sweepExpiredItems: () => ttl.sweep(),
    close() {
      closing ??= (async () => {
        for (const watcher of watchers) watcher.close()
        clearTimeout(reloadTimer)
        await gateway.close()
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
        await Promise.all([...functions.values()].map((fn) => fn.close()))
        await bundles.close()
        await ttl.stop()
        await dynamo.close()
        await cognito?.close()
      })()
      return closing
    },
  }
}
