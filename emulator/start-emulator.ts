// A local API Gateway WebSocket API for any declaration: one HTTP server carries the WebSocket
// upgrade, the `@connections` API under the stage path, the local Cognito and, when asked, a static
// site. Everything hangs off the returned handle; there is no module-level state, so tests start as
// many as they like. Every request and upgrade runs inside one error boundary (http-boundary.ts).
import { createServer, type IncomingMessage } from 'node:http'
import { watch, type FSWatcher } from 'node:fs'
import { once } from 'node:events'
import { resolve } from 'node:path'
import type { AddressInfo } from 'node:net'
import type { Duplex } from 'node:stream'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import type { TableDeclaration } from '../src/tables.ts'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { pageSecurityHeaders } from '../src/page-security-headers.ts'
import { newApiId } from './apigateway/aws-ids.ts'
import { closeCauses } from './apigateway/close-causes.ts'
import { checkDeclaration, triggerProblems } from './declaration-rules.ts'
import { bundleFunctions, type BundleOptions } from './lambda/function-bundler.ts'
import { Faults } from './faults.ts'
import { createFunctions, defaultAccountConcurrency, defaultSandboxIdleMs } from './lambda/functions.ts'
import type { FunctionPool } from './lambda/function-pool.ts'
import type { InvocationLogEntry } from './lambda/invocation-log.ts'
import { triggerInvoker } from './lambda/trigger-invoker.ts'
import { defaultSandboxLimit, SandboxCapacity } from './lambda/sandbox-capacity.ts'
import { provisionedConcurrency, type ProvisionedConcurrencySetting } from '../src/provisioned-concurrency.ts'
import { rejectHandshake } from './apigateway/handshake-rejection.ts'
import { guardRequest, guardUpgrade } from './http-boundary.ts'
import { isStagePath, routeRequest, sendJson } from './http-router.ts'
import type { InvocationLogger } from './lambda/invocation-log.ts'
import { LiveConnections } from './apigateway/live-connections.ts'
import { localRegion } from './local-credentials.ts'
import { createLocalCognito, type LocalCognitoInfo, type LocalCognitoOptions } from './cognito/local-cognito.ts'
import { checkUserPool } from './cognito/user-pool-rules.ts'
import { startLocalDynamo, type DynamoUsage } from './dynamodb/local-dynamo.ts'
import { consoleNotices, type NoticeLogger } from './notices.ts'
import { parseRequestTarget } from './request-target.ts'
import { StartupGate } from './startup-gate.ts'
import { openStaticSite } from './static-site.ts'
import type { ThrottleSettings } from './apigateway/token-bucket.ts'
import { startTtlSweeper } from './dynamodb/ttl-sweeper.ts'
import { awsLimits, WebSocketGateway, type GatewayLimits } from './apigateway/websocket-gateway.ts'
import { fastManagementCall } from './apigateway/management-api.ts'
import { fastPathPlugin, fastPathPluginKey } from './lambda/fast-path-plugin.ts'
import { runtimeModulesPlugin } from './lambda/runtime-modules-plugin.ts'
import { assemblyOptions } from './cloud-assembly/assembly-options.ts'
import { loadCloudAssembly, type CloudAssemblyOptions } from './cloud-assembly/load-cloud-assembly.ts'
import { applyRateCard } from './usage/rate-card-file.ts'
import { UsageMeter } from './usage/usage-meter.ts'
import { checkProvisionedCapacity, enforcedCapacity, type ProvisionedCapacitySetting } from './usage/provisioned-capacity.ts'
import type { UsageReport } from './usage/usage-report.ts'

/** The app to run: declarations (what `npm run dev` gives), or a synthesized CDK app. */
export type EmulatorOptions = EmulatorSettings & (DeclaredApp | CloudAssemblyApp)
/** Options for declarations (what tests override piecemeal). */
export type DeclaredOptions = EmulatorSettings & DeclaredApp

export interface DeclaredApp {
  readonly api: ApiDeclaration
  readonly tables: Readonly<Record<string, TableDeclaration>>
  /** Project root: function entries are relative to it. */
  readonly root: string
  /**
   * The user pool's declaration (password policy, required attributes, sign-in aliases, token
   * lifetimes...), enforced by the local Cognito as the deployed pool enforces it; without one, the
   * pool has the Cognito console's defaults.
   */
  readonly userPool?: UserPoolDeclaration
  readonly cloudAssembly?: undefined
}

export interface CloudAssemblyApp {
  /**
   * Run what a cloud assembly (`cdk synth`'s folder) describes: its WebSocket API, the functions
   * it invokes from the asset folders CDK staged, its tables and user pool (cloud-assembly/).
   * Provisioned concurrency and capacity default to the template's.
   */
  readonly cloudAssembly: CloudAssemblyOptions
  readonly api?: undefined
  readonly tables?: undefined
  readonly root?: undefined
  readonly userPool?: undefined
}

export interface EmulatorSettings {
  readonly port?: number
  readonly host?: string
  readonly stage?: string
  /** Keep DynamoDB data in this folder; in memory when absent. */
  readonly dataDir?: string
  readonly web?: { readonly dir: string; readonly config?: Record<string, unknown> }
  /** Where handlers' console output goes (default: inherit). */
  readonly functionOutput?: 'inherit' | 'ignore'
  readonly log?: InvocationLogger
  /** What the emulator itself reports: slow consumers closed, failed dependencies, dead sandboxes (default: stderr). */
  readonly notice?: NoticeLogger
  /** Shrink AWS's limits and timers, e.g. in tests. */
  readonly limits?: Partial<GatewayLimits>
  /** Route throttling instead of the declaration's `throttle`; `false` turns it off (e.g. load tests). */
  readonly throttle?: ThrottleSettings | false
  /** Lambda's account concurrency across all functions (default 1,000, as on AWS); beyond it, throttled. */
  readonly accountConcurrency?: number
  /**
   * Provisioned concurrency, the stack's setting (`chat:provisionedConcurrency`): a number for every
   * hot-path function, or per function. Those sandboxes are initialised before start resolves.
   */
  readonly provisionedConcurrency?: ProvisionedConcurrencySetting
  /** `false`: sandboxes reach DynamoDB and `@connections` over loopback HTTP, as clients outside the process do (default: the fast path). */
  readonly fastPath?: boolean
  /** The local machine's limit on live sandboxes across all functions (default: by cores and memory). */
  readonly maxSandboxes?: number
  /** How long an idle on-demand sandbox stays warm (default 2 minutes). */
  readonly sandboxIdleMs?: number
  /** How often expired items (declared `timeToLiveAttribute`) are deleted; default 30 s, 0 = never. */
  readonly ttlSweepIntervalMs?: number
  /** Stack traces from handlers point at their sources (dev); costs memory per sandbox. */
  readonly sourceMaps?: boolean
  /** Where bundles are kept between starts (default `<project>/node_modules/.cache/dynamowave-emulator`); `false`: rebuild every start. */
  readonly bundleCache?: BundleOptions['cache']
  /** Reload functions when files under these folders change (dev). */
  readonly watch?: readonly string[]
  /** The local Cognito's own settings (its keys and users live in `dataDir` when set). */
  readonly cognito?: LocalCognitoOptions
  /**
   * Prices instead of the dated us-east-1 list prices (usage/rate-card.ts), by id, e.g.
   * `{"prices":{"lambdaGbSeconds":{"usd":0.0000166667}}}`; checked at start (INVALID_RATE_CARD).
   */
  readonly rateCard?: unknown
  /** Take AWS's monthly free tiers off the usage report (default: list prices, no free tier). */
  readonly freeTier?: boolean
  /**
   * The provisioned capacity the stack deploys, per table or `table/index` (its autoscaling minimum),
   * e.g. `{"chat":{"read":2,"write":4},"chat/gsi1":{"read":1,"write":1}}`: the usage report prices
   * provisioned mode with it and says when a second's peak passed it.
   */
  readonly provisionedCapacity?: ProvisionedCapacitySetting
  /**
   * Enforce `provisionedCapacity` as DynamoDB does: up to `burstSeconds` (300, as on AWS) of unused
   * capacity is kept; past it, requests fail with ProvisionedThroughputExceededException (which the
   * SDK retries). Off by default: the usage report only says when a run would have been throttled.
   */
  readonly enforceProvisionedCapacity?: boolean | { readonly burstSeconds?: number }
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
  /** Bugs met while serving (each answered 500 and logged with its stack); client input never counts. */
  internalErrorCount(): number
  /** Rebuilds every function from its source; the next invocation cold-starts. Open sockets stay. */
  reload(): Promise<void>
  /** Deletes expired items now (as the periodic TTL sweep does, or as it would at `asOf`); resolves with how many. */
  sweepExpiredItems(options?: { asOf?: number }): Promise<number>
  /** Live sandboxes per declared function (busy and idle, provisioned included). */
  sandboxes(): Record<string, number>
  /** Resolves once no route invocation runs (`$disconnect`s and handshakes included): for tests. */
  settled(): Promise<void>
  /** Failures on purpose, for testing how handlers and clients cope. Off unless switched on (faults.ts). */
  readonly faults: Pick<Faults, 'dropDisconnects' | 'failInvocations' | 'delayPosts'> & {
    /** Ends dynalite's thread as a fatal error would: DynamoDB answers InternalServerError from then on. */
    crashDynamoDB(): Promise<void>
    /** Every DynamoDB call of this declared function waits `ms` first (0 switches it off). */
    delayDynamoDB(fn: string, ms: number): () => void
  }
  /** The DynamoDB operations each declared function has called so far (e.g. to check its grants). */
  dynamoDBCalls(): Promise<Record<string, Record<string, number>>>
  /** The DynamoDB capacity units each declared function has spent so far, per table and index, as AWS bills them. */
  dynamoDBUsage(): Promise<DynamoUsage>
  /** What the run so far (or since `since`, a mark) would cost on AWS: units and dollars per service, function and table. */
  usage(options?: { since?: string }): Promise<UsageReport>
  /** Remembers this moment; `usage({ since })` with the id returned covers what happens after it. */
  markUsage(): Promise<string>
  /** Fires `$disconnect` for open sockets (waiting at most `graceMs`, default 3 s), then stops everything. */
  close(options?: { graceMs?: number }): Promise<void>
}

export async function startEmulator(given: EmulatorOptions): Promise<Emulator> {
  const assembly = given.cloudAssembly ? loadCloudAssembly({ ...given.cloudAssembly, stage: given.cloudAssembly.stage ?? given.stage }) : undefined
  const options: DeclaredOptions & { apiId?: string } = assembly ? assemblyOptions(given as EmulatorSettings & CloudAssemblyApp, assembly) : (given as DeclaredOptions)
  const stage = options.stage ?? 'prod'
  const host = options.host ?? '127.0.0.1'
  try {
    checkDeclaration(options.api, stage)
  } catch (error) {
    assembly?.dispose()
    throw error
  }
  const provisioned = provisionedConcurrency(options.api, options.provisionedConcurrency ?? 0)
  // Refused before anything starts, as the API declaration is (createLocalCognito checks it too).
  if (options.userPool) {
    checkUserPool(options.userPool)
    const problems = triggerProblems(options.api, options.userPool)
    if (problems.length > 0) {
      assembly?.dispose()
      throw new Error(`The user pool's triggers cannot be deployed:\n- ${problems.join('\n- ')}`)
    }
  }
  const rateCard = applyRateCard(options.rateCard ?? {}, 'the rateCard option')
  const provisionedCapacity = checkProvisionedCapacity(options.tables, options.provisionedCapacity ?? {})
  const enforce = enforcedCapacity(provisionedCapacity, options.enforceProvisionedCapacity)
  const notice = options.notice ?? consoleNotices
  let internalErrors = 0
  const internalError = (where: string, error: unknown) => {
    internalErrors++
    notice({ kind: 'internal-error', where, stack: error instanceof Error ? (error.stack ?? error.message) : String(error) })
  }
  // What has started, to stop in reverse order (also when a later step fails).
  const started: (() => Promise<unknown>)[] = []
  const stopAll = async () => {
    for (const stop of started.reverse()) await stop().catch((error: unknown) => internalError('stopping', error))
    started.length = 0
  }
  const gate = new StartupGate()
  if (assembly) {
    started.push(async () => assembly.dispose())
    notice({ kind: 'cloud-assembly', stack: assembly.stack, stage, notEmulated: assembly.notEmulated, warnings: assembly.warnings })
  }
  try {
    const apiInfo = { apiId: options.apiId ?? newApiId(), stage, stageVariables: options.api.stageVariables }
    // Bundling needs no port: done before listening, so the window in which requests wait is short.
    // It runs while dynalite starts (its own thread); whichever started is stopped if the other fails.
    const [dynamoStart, bundling] = await Promise.allSettled([
      startLocalDynamo(options.tables, { path: options.dataDir, notice, enforce }).then((dynamo) => (started.push(() => dynamo.close()), dynamo)),
      bundleFunctions(new Map(Object.entries(options.api.functions).map(([name, fn]) => [name, resolve(options.root, fn.entry)])), {
        sourceMaps: options.sourceMaps,
        cache: options.bundleCache,
        esbuild: { plugins: [...(assembly ? [runtimeModulesPlugin(assembly.codeDirs)] : []), fastPathPlugin] },
        cacheKeyParts: fastPathPluginKey,
      }).then((bundles) => (started.push(() => bundles.close()), bundles)),
    ])
    if (dynamoStart.status === 'rejected') throw dynamoStart.reason
    if (bundling.status === 'rejected') throw bundling.reason
    const [dynamo, bundles] = [dynamoStart.value, bundling.value]

    let onRequest: Parameters<typeof guardRequest>[0] = () => {}
    let onUpgrade: (req: IncomingMessage, socket: Duplex, head: Buffer) => void = () => {}
    const server = createServer(
      // Slow or half-sent requests cannot hold a connection for long (Node's defaults are minutes).
      { requestTimeout: 60_000, headersTimeout: 20_000 },
      guardRequest(async (req, res) => {
        if (!(await gate.pass())) return sendJson(res, 503, 'Service Unavailable', { 'retry-after': '1' })
        return onRequest(req, res)
      }, internalError),
    )
    server.on(
      'upgrade',
      guardUpgrade(async (req, socket, head) => {
        if (!(await gate.pass())) return rejectHandshake(socket, 503)
        onUpgrade(req, socket, head)
      }, internalError),
    )
    // CONNECT (a proxy tunnel) is nothing the emulator serves; Node would otherwise drop the socket.
    server.on('connect', (_req: IncomingMessage, socket: Duplex) => {
      socket.on('error', () => {})
      rejectHandshake(socket, 405, 'Method Not Allowed')
    })
    server.listen(options.port ?? 0, host)
    await once(server, 'listening')
    started.push(async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    })
    const { port } = server.address() as AddressInfo
    // The host the SDK in a sandbox sees in the callback URL.
    const dialHost = host.includes(':') ? `[${host}]` : host
    const origin = `${host.includes(':') ? `[${host}]` : host}:${port}`
    const url = `ws://${origin}/${stage}`
    const callbackUrl = `http://${origin}/${stage}`
    const httpUrl = `http://${origin}`

    const usage = new UsageMeter(dynamo, {
      card: rateCard,
      freeTier: options.freeTier ?? false,
      memoryMb: Object.fromEntries(Object.entries(options.api.functions).map(([name, fn]) => [name, fn.memoryMb])),
      provisionedConcurrency: provisioned,
      provisionedCapacity,
    })
    // Every invocation (routes, the authorizer, the pool's triggers) is metered from its log entry: Lambda's REPORT.
    const logInvocation = (entry: InvocationLogEntry) => {
      usage.ledger.invocation(entry)
      options.log?.(entry)
    }
    let functions: ReadonlyMap<string, FunctionPool> = new Map()
    const cognito = await createLocalCognito({
      ...options.cognito,
      invokeTrigger: triggerInvoker(() => functions, logInvocation),
      onActiveUser: (sub) => {
        usage.ledger.activeUser(sub)
        options.cognito?.onActiveUser?.(sub)
      },
      pool: options.userPool,
      endpoint: httpUrl,
      region: localRegion,
      dataDir: options.dataDir,
    })
    started.push(() => cognito.close())
    functions = createFunctions(
      options.api,
      { callbackUrl, dynamoEndpoint: dynamo.endpoint, userPoolIssuer: cognito.issuer, userPoolClientId: cognito.clientId, userPoolId: cognito.userPoolId },
      {
        bundles,
        output: options.functionOutput ?? 'inherit',
        outputBytes: (fn, bytes, lines) => usage.ledger.handlerOutput(fn, bytes, lines),
        gateway: { host, port },
        ...(options.fastPath !== false && {
          // The SDK in each sandbox reaches DynamoDB and `@connections` over message ports, not loopback HTTP.
          fastPath: () => ({ gatewayOrigin: `${dialHost}:${port}`, dynamo: dynamo.connect() }),
          gatewayCall: (request: Parameters<typeof fastManagementCall>[1]) => fastManagementCall(management, request),
        }),
        account: { inFlight: 0, limit: options.accountConcurrency ?? defaultAccountConcurrency },
        capacity: new SandboxCapacity(options.maxSandboxes ?? defaultSandboxLimit(), notice),
        idleMs: options.sandboxIdleMs ?? defaultSandboxIdleMs,
        provisioned,
        notice,
      },
    )
    started.push(() => Promise.all([...functions.values()].map((fn) => fn.close())))
    // Provisioned sandboxes are initialised before the first request; every other one on first use.
    await Promise.all([...functions.values()].map((fn) => fn.start()))
    const connections = new LiveConnections()
    const faults = new Faults()
    const gateway = new WebSocketGateway({
      faults,
      api: options.api,
      apiInfo,
      functions,
      connections,
      limits: { ...awsLimits, ...options.limits },
      log: logInvocation,
      usage: usage.ledger,
      notice,
      internalError,
      throttle: options.throttle === false ? undefined : (options.throttle ?? options.api.throttle),
    })
    const ttl = startTtlSweeper({ client: dynamo.client, tables: options.tables, intervalMs: options.ttlSweepIntervalMs ?? 30_000 })
    started.push(() => ttl.stop())
    // The page signs in against the local Cognito with the same SDK calls it makes to the real one,
    // and shows the pool's rules (what infra's config.json gives it on AWS).
    const { passwordPolicy, requiredAttributes, signInAliases, mfa } = cognito.pool
    const webConfig = {
      websocketUrl: url,
      cognito: { endpoint: cognito.endpoint, region: cognito.region, userPoolId: cognito.userPoolId, clientId: cognito.clientId, passwordPolicy, requiredAttributes, signInAliases, mfa },
      ...options.web?.config,
    }
    // connect-src names the emulator's own origin only: its WebSocket API and its Cognito.
    const site = options.web ? await openStaticSite(options.web.dir, () => webConfig, pageSecurityHeaders([httpUrl, `ws://${origin}`])) : undefined
    const management = {
      stage,
      connections,
      deliver: gateway.deliver.bind(gateway),
      postDelayMs: (connectionId: string) => faults.postDelayMs(connectionId),
      deleteConnection: (connection: Parameters<typeof gateway.closeBy>[0]) => gateway.closeBy(connection, closeCauses.deleted),
    }
    onRequest = (req, res) => routeRequest({ stage, cognito, management, site, usage }, req, res)
    onUpgrade = (req, socket, head) => {
      const target = parseRequestTarget(req.url)
      if (!target) return rejectHandshake(socket, 400)
      // §1.1: the stage is the WebSocket URL's only path segment; elsewhere API Gateway says Forbidden.
      if (!isStagePath(stage, target.path)) return rejectHandshake(socket, 403)
      gateway.upgrade(req, socket, head)
    }

    // A failed rebuild (a syntax error mid-edit) keeps the last good code running, as a failed
    // deployment leaves the old version live.
    const reload = async () => {
      const errors = await bundles.rebuild()
      if (errors.length > 0) return void console.error(`emulator: functions not reloaded, the build failed:\n${errors.join('\n')}`)
      for (const fn of functions.values()) fn.reload()
      notice({ kind: 'functions-reloaded', functions: functions.size })
    }
    // One save fires several fs events (write, rename, chmod): reload once they settle.
    let reloadTimer: NodeJS.Timeout | undefined
    const changed = () => {
      clearTimeout(reloadTimer)
      reloadTimer = setTimeout(() => void reload().catch((error: unknown) => internalError('reloading functions', error)), 50)
    }
    const watchers: FSWatcher[] = (options.watch ?? []).map((dir) => watch(dir, { recursive: true }, changed))
    started.push(async () => {
      for (const watcher of watchers) watcher.close()
      clearTimeout(reloadTimer)
    })
    gate.open()

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
      internalErrorCount: () => internalErrors,
      reload,
      sweepExpiredItems: (sweep = {}) => ttl.sweep(sweep.asOf),
      settled: () => gateway.settled(),
      sandboxes: () => Object.fromEntries([...functions].map(([name, fn]) => [name, fn.sandboxCount])),
      faults: {
        dropDisconnects: (match) => faults.dropDisconnects(match),
        failInvocations: (rule) => faults.failInvocations(rule),
        delayPosts: (ms) => faults.delayPosts(ms),
        crashDynamoDB: () => dynamo.crash(),
        delayDynamoDB: (fn, ms) => {
          dynamo.delay(fn, ms)
          return () => dynamo.delay(fn, 0)
        },
      },
      dynamoDBCalls: () => dynamo.calls(),
      dynamoDBUsage: () => dynamo.usage(),
      usage: (since = {}) => usage.report(since.since),
      markUsage: () => usage.mark(),
      close(closeOptions = {}) {
        closing ??= (async () => {
          gate.shut()
          // Sockets first, with their $disconnects (best effort, bounded), then everything else.
          await gateway.close(closeOptions.graceMs ?? 3000)
          await stopAll()
        })()
        return closing
      },
    }
  } catch (error) {
    gate.shut()
    await stopAll()
    throw error
  }
}
