// Runs any API declaration locally: `tsx emulator/cli.ts --api src/api.ts --tables src/tables.ts`.
// `npm run dev` is this with the chat's declaration, its web page, on-disk data and hot reload.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { prettyLogger, jsonLogger } from './lambda/invocation-log.ts'
import { consoleNotices, jsonNotices } from './notices.ts'
import { startEmulator, type Emulator } from './start-emulator.ts'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import type { ProvisionedConcurrencySetting } from '../src/provisioned-concurrency.ts'
import { loadRateCard } from './usage/rate-card-file.ts'
import { usageBill } from './usage/usage-format.ts'
import { printUsageEvery } from './usage/usage-printer.ts'
import { jsonOrContext } from './context-values.ts'

const usage = `Usage: tsx emulator/cli.ts --api <file> [--tables <file>] [options]
       tsx emulator/cli.ts --cloud-assembly <dir> [--stack <name>] [options]

  --api <file>       module exporting the API declaration as \`api\`
  --tables <file>    module exporting the table declarations as \`tables\`
  --user-pool <file> module exporting the user pool's declaration as \`userPool\`
  --cloud-assembly <dir>  instead of declarations: run what a synthesized CDK app (\`cdk synth\`'s
                     folder, e.g. cdk.out) describes: its WebSocket API, the functions it invokes
                     from the staged assets, its tables and user pool (see emulator/README.md)
  --stack <name>     the stack of the cloud assembly (default: the only one with a WebSocket API)
  --root <dir>       project root that function entries are relative to (default: .)
  --port <n>         port (default: $PORT or 3001; 0 picks a free one)
  --host <addr>      address to listen on (default: 127.0.0.1)
  --stage <name>     stage name (default: prod; a cloud assembly's: the template's)
  --data <dir>       keep DynamoDB data in this folder (default: in memory)
  --web <dir>        serve this folder as the web page, with /config.json
  --watch <dir>      reload functions when files here change (repeatable)
  --ttl-sweep-ms <n> delete expired items (declared TTL attribute) every n ms (default: 30000; 0: never)
  --no-throttle      ignore the declaration's stage throttling (e.g. for load tests)
  --cors-origin <o>  another origin whose pages may call the local Cognito (repeatable; the
                     emulator's own origin is always allowed), e.g. http://localhost:5173
  --max-buffered-bytes <n>  unsent bytes a connection may have before it is closed as a slow
                     consumer (default: 1048576)
  --provisioned-concurrency <v>  sandboxes kept initialised: a number for every hot-path function,
                     a JSON map per function, or <file>#<key> to read the stack's setting from a
                     CDK context file (e.g. cdk.json#chat:provisionedConcurrency) (default: 0)
  --max-sandboxes <n>  live sandboxes across all functions before new ones wait (default: by cores and memory)
  --sandbox-idle-ms <n>  end an on-demand sandbox idle this long (default: 120000)
  --no-bundle-cache  bundle the functions afresh and keep nothing (default: reuse unchanged bundles)
  --json-logs        one JSON line per invocation instead of the readable form
  --quiet            no invocation lines and no handler output (benchmarks)
  --source-maps      stack traces from handlers point at their TypeScript sources (more memory)
  --rate-card <file> JSON overriding prices or free tiers of the usage report, by id (see emulator/usage/rate-card.ts)
  --free-tier        take AWS's monthly free tiers off the usage report (default: list prices)
  --provisioned-capacity <table[/index]>=<v>  the capacity the stack provisions there, for the
                     usage report: {"read":n,"write":n}, a {min,max} range per kind (its min counts),
                     or <file>#<key> from a CDK context file (e.g. chat=cdk.json#chat:tableCapacity) (repeatable)
  --enforce-provisioned-capacity  refuse DynamoDB requests past --provisioned-capacity (and its 300 s
                     of burst) with ProvisionedThroughputExceededException, as DynamoDB does
  --usage-every-ms <n>  print the usage line this often when something changed (default: 60000; 0: never)

  The usage report: GET /_emulator/usage (JSON, ?since=<mark>), POST /_emulator/usage/marks; the whole
  bill is printed on Ctrl-C.`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      'cloud-assembly': { type: 'string' },
      stack: { type: 'string' },
      tables: { type: 'string' },
      'user-pool': { type: 'string' },
      root: { type: 'string', default: '.' },
      port: { type: 'string', default: process.env.PORT ?? '3001' },
      host: { type: 'string', default: '127.0.0.1' },
      stage: { type: 'string' },
      data: { type: 'string' },
      web: { type: 'string' },
      watch: { type: 'string', multiple: true },
      'ttl-sweep-ms': { type: 'string', default: '30000' },
      'no-throttle': { type: 'boolean', default: false },
      'max-buffered-bytes': { type: 'string' },
      'cors-origin': { type: 'string', multiple: true },
      'provisioned-concurrency': { type: 'string' },
      'no-bundle-cache': { type: 'boolean', default: false },
      'max-sandboxes': { type: 'string' },
      'sandbox-idle-ms': { type: 'string' },
      'json-logs': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'source-maps': { type: 'boolean', default: false },
      'rate-card': { type: 'string' },
      'free-tier': { type: 'boolean', default: false },
      'provisioned-capacity': { type: 'string', multiple: true },
      'usage-every-ms': { type: 'string', default: '60000' },
      'enforce-provisioned-capacity': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  const assembly = values['cloud-assembly']
  if (values.help || (!values.api) === (assembly === undefined)) {
    console.log(usage)
    if (!values.help) console.error(values.api ? '\ngive --api or --cloud-assembly, not both' : '\ngive --api or --cloud-assembly')
    process.exit(values.help ? 0 : 2)
  }
  if (assembly !== undefined && (values.tables || values['user-pool'])) throw new Error('--cloud-assembly reads the tables and the user pool from the template: drop --tables and --user-pool')
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`)
  const ttlSweepIntervalMs = Number(values['ttl-sweep-ms'])
  if (!Number.isInteger(ttlSweepIntervalMs) || ttlSweepIntervalMs < 0) throw new Error(`--ttl-sweep-ms must be a whole number of ms, got ${values['ttl-sweep-ms']}`)
  const maxBufferedBytes = values['max-buffered-bytes'] === undefined ? undefined : Number(values['max-buffered-bytes'])
  if (maxBufferedBytes !== undefined && (!Number.isInteger(maxBufferedBytes) || maxBufferedBytes < 1)) {
    throw new Error(`--max-buffered-bytes must be a positive whole number, got ${values['max-buffered-bytes']}`)
  }
  const maxSandboxes = wholeNumber(values['max-sandboxes'], '--max-sandboxes', 1)
  const sandboxIdleMs = wholeNumber(values['sandbox-idle-ms'], '--sandbox-idle-ms', 1)
  const provisioned = values['provisioned-concurrency'] === undefined ? undefined : await provisionedSetting(values['provisioned-concurrency'])
  const rateCard = values['rate-card'] === undefined ? undefined : await loadRateCard(values['rate-card'])
  const provisionedCapacity = await capacitySetting(values['provisioned-capacity'] ?? [])
  const usageEveryMs = wholeNumber(values['usage-every-ms'], '--usage-every-ms', 0) ?? 60_000
  const load = async (file: string, name: string) => {
    const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>
    if (!module[name]) throw new Error(`${file} does not export \`${name}\``)
    return module[name]
  }
  const api = values.api ? ((await load(values.api, 'api')) as ApiDeclaration) : undefined
  const app = api
    ? {
        api,
        tables: values.tables ? ((await load(values.tables, 'tables')) as never) : {},
        userPool: values['user-pool'] ? ((await load(values['user-pool'], 'userPool')) as never) : undefined,
        root: resolve(values.root),
        stage: values.stage ?? 'prod',
      }
    : { cloudAssembly: { dir: resolve(assembly!), stack: values.stack }, stage: values.stage }
  const emulator = await startEmulator({
    ...app,
    port,
    host: values.host,
    dataDir: values.data && resolve(values.data),
    web: values.web ? { dir: resolve(values.web) } : undefined,
    watch: values.watch?.map((dir) => resolve(dir)),
    ttlSweepIntervalMs,
    ...(values['no-throttle'] ? { throttle: false as const } : {}),
    log: values.quiet ? undefined : values['json-logs'] ? jsonLogger : prettyLogger(),
    notice: values['json-logs'] ? jsonNotices : consoleNotices,
    ...(maxBufferedBytes === undefined ? {} : { limits: { maxBufferedBytes } }),
    ...(values['cors-origin'] ? { cognito: { allowedOrigins: values['cors-origin'] } } : {}),
    functionOutput: values.quiet ? 'ignore' : 'inherit',
    sourceMaps: values['source-maps'],
    ...(provisioned === undefined ? {} : { provisionedConcurrency: provisioned }),
    ...(maxSandboxes === undefined ? {} : { maxSandboxes }),
    ...(values['no-bundle-cache'] ? { bundleCache: false as const } : {}),
    ...(sandboxIdleMs === undefined ? {} : { sandboxIdleMs }),
    ...(rateCard === undefined ? {} : { rateCard }),
    freeTier: values['free-tier'],
    provisionedCapacity,
    enforceProvisionedCapacity: values['enforce-provisioned-capacity'],
  })
  console.log(`\nDynamoWave emulator ready (stage "${emulator.stage}", api ${emulator.apiId})`)
  console.log(`  WebSocket   ${emulator.url}`)
  console.log(`  @connections ${emulator.callbackUrl}/@connections/{connectionId}`)
  if (values.web) console.log(`  Web page    ${emulator.httpUrl}/`)
  // The local Cognito is always there, but an app that neither verifies its tokens nor serves a
  // page signing in with it has no use for its address.
  if (!api || usesCognito(api) || values['user-pool'] || values.web) {
    console.log(`  Cognito     ${emulator.cognito.endpoint} (user pool ${emulator.cognito.userPoolId}, app client ${emulator.cognito.clientId})`)
    console.log('              sign-ups are confirmed, and their email verified, at once: offline there is no email')
  }
  console.log(`  Usage       ${emulator.httpUrl}/_emulator/usage (what this run would cost on AWS; the whole bill on Ctrl-C)`)
  console.log('  Ctrl-C stops it (open sockets get $disconnect first)\n')

  shutdownOn(emulator)
  if (usageEveryMs > 0) printUsageEvery(emulator, usageEveryMs)
}

/** A function of the API gets the user pool's issuer or client id: its tokens are checked. */
function usesCognito(api: ApiDeclaration): boolean {
  return Object.values(api.functions).some((fn) => Object.values(fn.environment).some((source) => source.from === 'userPoolIssuer' || source.from === 'userPoolClientId'))
}

function wholeNumber(value: string | undefined, flag: string, min: number): number | undefined {
  if (value === undefined) return undefined
  const n = Number(value)
  if (!Number.isInteger(n) || n < min) throw new Error(`${flag} must be a whole number ≥ ${min}, got ${value}`)
  return n
}

/** `2`, `{"sendmessage":2}`, or `cdk.json#chat:provisionedConcurrency`: the value the stack deploys. */
async function provisionedSetting(value: string): Promise<ProvisionedConcurrencySetting> {
  const setting = await jsonOrContext(value, '--provisioned-concurrency', 0)
  if (typeof setting !== 'number' && (typeof setting !== 'object' || setting === null || Array.isArray(setting))) {
    throw new Error(`--provisioned-concurrency must be a number or a map of numbers, got ${JSON.stringify(setting)}`)
  }
  return setting as ProvisionedConcurrencySetting
}

/** `chat=cdk.json#chat:tableCapacity` or `chat/gsi1={"read":1,"write":1}`, per flag given. */
async function capacitySetting(values: readonly string[]): Promise<Record<string, never>> {
  const out: Record<string, unknown> = {}
  for (const value of values) {
    const eq = value.indexOf('=')
    if (eq <= 0) throw new Error(`--provisioned-capacity must be <table[/index]>=<value>, got ${value}`)
    out[value.slice(0, eq)] = await jsonOrContext(value.slice(eq + 1), '--provisioned-capacity')
  }
  return out as Record<string, never>
}

/** How long Ctrl-C may take: the sockets' `$disconnect`s get most of it, the rest is for the stores. */
const exitDeadlineMs = 5000

/**
 * Ctrl-C (or SIGTERM) closes every socket, with its `$disconnect`, then exits: within 5 s whatever
 * the handlers do; a second Ctrl-C exits at once.
 */
function shutdownOn(emulator: Emulator): void {
  let stopping = false
  const stop = (code: number) => {
    if (stopping) return process.exit(130)
    stopping = true
    setTimeout(() => {
      console.error(`emulator: not closed after ${exitDeadlineMs / 1000} s; exiting anyway`)
      process.exit(code || 1)
    }, exitDeadlineMs).unref()
    // The bill first, while dynalite still answers (at most 1 s of the deadline).
    const bill = Promise.race([emulator.usage().then((report) => console.log(`\n${usageBill(report)}`)), new Promise((resolve) => setTimeout(resolve, 1000))]).catch(() => {})
    bill
      .then(() => {
        console.log('\nclosing: disconnecting open sockets...')
        return emulator.close({ graceMs: exitDeadlineMs - 2500 })
      })
      .then(
      () => process.exit(code),
      (error: unknown) => {
        console.error('emulator: closing failed', error)
        process.exit(1)
      },
    )
  }
  process.on('SIGINT', () => stop(0))
  process.on('SIGTERM', () => stop(0))
  // The last resort, for what escaped every boundary of the emulator (http-boundary.ts, the
  // gateway's, dynalite's, the sandboxes'): client input never gets here, a bug might. A rejected
  // promise nobody awaited has finished whatever it did, so serving goes on; an exception thrown
  // through the event loop may have left anything half done, so the emulator closes cleanly.
  process.on('unhandledRejection', (reason) => {
    console.error(`emulator: last-resort handler: unhandled rejection (serving goes on):\n${describe(reason)}`)
  })
  process.on('uncaughtException', (error) => {
    console.error(`emulator: last-resort handler: uncaught exception (closing):\n${describe(error)}`)
    stop(1)
  })
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error)
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
