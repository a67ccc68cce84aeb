// Runs any API declaration locally: `tsx emulator/cli.ts --api src/api.ts --tables src/tables.ts`.
// `npm run dev` is this with the chat's declaration, its web page, on-disk data and hot reload.
import { parseArgs } from 'node:util'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { prettyLogger, jsonLogger } from './invocation-log.ts'
import { startEmulator } from './start-emulator.ts'

const usage = `Usage: tsx emulator/cli.ts --api <file> [--tables <file>] [options]

  --api <file>       module exporting the API declaration as \`api\` (required)
  --tables <file>    module exporting the table declarations as \`tables\`
  --root <dir>       project root that function entries are relative to (default: .)
  --port <n>         port (default: $PORT or 3001; 0 picks a free one)
  --host <addr>      address to listen on (default: 127.0.0.1)
  --stage <name>     stage name (default: prod)
  --data <dir>       keep DynamoDB data in this folder (default: in memory)
  --web <dir>        serve this folder as the web page, with /config.json
  --watch <dir>      reload functions when files here change (repeatable)
  --ttl-sweep-ms <n> delete expired items (declared TTL attribute) every n ms (default: 30000; 0: never)
  --no-throttle      ignore the declaration's stage throttling (e.g. for load tests)
  --json-logs        one JSON line per invocation instead of the readable form
  --quiet            no invocation lines and no handler output (benchmarks)
  --source-maps      stack traces from handlers point at their TypeScript sources (more memory)`

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      api: { type: 'string' },
      tables: { type: 'string' },
      'user-pool': { type: 'string' },
      root: { type: 'string', default: '.' },
      port: { type: 'string', default: process.env.PORT ?? '3001' },
      host: { type: 'string', default: '127.0.0.1' },
      stage: { type: 'string', default: 'prod' },
      data: { type: 'string' },
      web: { type: 'string' },
      watch: { type: 'string', multiple: true },
      'ttl-sweep-ms': { type: 'string', default: '30000' },
      'no-throttle': { type: 'boolean', default: false },
      'json-logs': { type: 'boolean', default: false },
      quiet: { type: 'boolean', default: false },
      'source-maps': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  })
  if (values.help || !values.api) {
    console.log(usage)
    process.exit(values.help ? 0 : 2)
  }
  const port = Number(values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, got ${values.port}`)
  const ttlSweepIntervalMs = Number(values['ttl-sweep-ms'])
  if (!Number.isInteger(ttlSweepIntervalMs) || ttlSweepIntervalMs < 0) throw new Error(`--ttl-sweep-ms must be a whole number of ms, got ${values['ttl-sweep-ms']}`)
  const load = async (file: string, name: string) => {
    const module = (await import(pathToFileURL(resolve(file)).href)) as Record<string, unknown>
    if (!module[name]) throw new Error(`${file} does not export \`${name}\``)
    return module[name]
  }
  const emulator = await startEmulator({
    api: (await load(values.api, 'api')) as never,
    tables: values.tables ? ((await load(values.tables, 'tables')) as never) : {},
    userPool: values['user-pool'] ? ((await load(values['user-pool'], 'userPool')) as never) : undefined,
    root: resolve(values.root),
    port,
    host: values.host,
    stage: values.stage,
    dataDir: values.data && resolve(values.data),
    web: values.web ? { dir: resolve(values.web) } : undefined,
    watch: values.watch?.map((dir) => resolve(dir)),
    ttlSweepIntervalMs,
    ...(values['no-throttle'] ? { throttle: false as const } : {}),
    log: values.quiet ? undefined : values['json-logs'] ? jsonLogger : prettyLogger(),
    functionOutput: values.quiet ? 'ignore' : 'inherit',
    sourceMaps: values['source-maps'],
  })
  console.log(`\nDynamoWave emulator ready (stage "${emulator.stage}", api ${emulator.apiId})`)
  console.log(`  WebSocket   ${emulator.url}`)
  console.log(`  @connections ${emulator.callbackUrl}/@connections/{connectionId}`)
  if (values.web) console.log(`  Web page    ${emulator.httpUrl}/`)
  console.log(`  Cognito     ${emulator.cognito.endpoint} (user pool ${emulator.cognito.userPoolId}, app client ${emulator.cognito.clientId})`)
  console.log('              sign-ups are confirmed, and their email verified, at once: offline there is no email')
  console.log('  Ctrl-C stops it (open sockets get $disconnect first)\n')

  const stop = async () => {
    console.log('\nclosing: disconnecting open sockets...')
    await emulator.close()
    process.exit(0)
  }
  process.once('SIGINT', () => void stop())
  process.once('SIGTERM', () => void stop())
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
