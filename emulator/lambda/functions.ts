// The declared functions, each a pool of sandboxes, with the environment Lambda would give them:
// Lambda's reserved variables plus exactly the variables the declaration names (design.md §3.2).
import type { ApiDeclaration, EnvSource } from '../../src/api-declaration.ts'
import type { Bundles } from './function-bundler.ts'
import { FunctionPool, type AccountConcurrency, type FunctionPoolOptions } from './function-pool.ts'
import type { SandboxCapacity } from './sandbox-capacity.ts'
import { localAccountId, localCredentials, localRegion } from '../local-credentials.ts'
import type { NoticeLogger } from '../notices.ts'

/** The values behind each kind of environment source, as this host knows them. */
export interface EnvValues {
  readonly callbackUrl: string
  readonly dynamoEndpoint: string
  readonly userPoolIssuer?: string
  readonly userPoolClientId?: string
  readonly userPoolId?: string
}

export interface FunctionsOptions {
  /** The functions, bundled (function-bundler.ts); read at each sandbox's spawn, so a reload takes effect. */
  readonly bundles: Pick<Bundles, 'runtime' | 'functions' | 'sourceMaps'>
  /** The local machine's limit on live sandboxes (sandbox-capacity.ts). */
  readonly capacity: SandboxCapacity
  /** How long an idle sandbox stays warm. */
  readonly idleMs: number
  /** Function name → sandboxes kept initialised (provisioned concurrency). */
  readonly provisioned: ReadonlyMap<string, number>
  readonly output: 'inherit' | 'ignore'
  /** Told how many bytes each function's handlers write (CloudWatch Logs ingestion). */
  readonly outputBytes?: (fn: string, bytes: number, lines: number) => void
  /** The emulator's HTTP address, for handlers that call `https://{domainName}/{stage}` (sandbox-network.ts). */
  readonly gateway: { readonly host: string; readonly port: number }
  /** The SDK's requests to the emulator without HTTP (fast-path.ts); absent: over HTTP. */
  readonly fastPath?: FunctionPoolOptions['fastPath']
  readonly gatewayCall?: FunctionPoolOptions['gatewayCall']
  /** Shared by every function: Lambda's account concurrency. */
  readonly account: AccountConcurrency
  readonly notice: NoticeLogger
}

/** Lambda's default account concurrency quota, in every region. */
export const defaultAccountConcurrency = 1000

/** Chosen: an idle sandbox is ended after 2 minutes (Lambda keeps them longer, unspecified; memory matters more here). */
export const defaultSandboxIdleMs = 120_000

export function resolveEnvValue(source: EnvSource, values: EnvValues, name: string): string {
  switch (source.from) {
    case 'tableName':
      return source.table
    case 'callbackUrl':
      return values.callbackUrl
    case 'value':
      return source.value
    case 'userPoolIssuer':
    case 'userPoolClientId':
    case 'userPoolId': {
      const value = values[source.from]
      if (value === undefined) throw new Error(`Environment variable ${name} needs ${source.from}, which this emulator does not provide`)
      return value
    }
  }
}

export function createFunctions(api: ApiDeclaration, values: EnvValues, options: FunctionsOptions): Map<string, FunctionPool> {
  const hosts = new Map<string, FunctionPool>()
  for (const [name, fn] of Object.entries(api.functions)) {
    const functionName = `${api.name}-${name}`
    const declared = Object.fromEntries(Object.entries(fn.environment).map(([key, source]) => [key, resolveEnvValue(source, values, key)]))
    hosts.set(
      name,
      new FunctionPool({
        name: functionName,
        code: () => ({ runtime: options.bundles.runtime, entry: options.bundles.functions.get(name)!, sourceMaps: options.bundles.sourceMaps }),
        exportName: fn.handler ?? 'handler',
        functionArn: `arn:aws:lambda:${localRegion}:${localAccountId}:function:${functionName}`,
        memoryMb: fn.memoryMb,
        // Lambda's own timeout; API Gateway's integration timeout (29 s) is the gateway's to apply.
        timeoutMs: fn.timeoutSeconds * 1000,
        reservedConcurrency: fn.reservedConcurrency,
        provisionedConcurrency: options.provisioned.get(name),
        idleMs: options.idleMs,
        capacity: options.capacity,
        output: options.output,
        ...(options.outputBytes && { outputBytes: (bytes: number, lines: number) => options.outputBytes!(name, bytes, lines) }),
        gateway: options.gateway,
        fastPath: options.fastPath,
        gatewayCall: options.gatewayCall,
        account: options.account,
        notice: options.notice,
        environment: {
          AWS_REGION: localRegion,
          AWS_DEFAULT_REGION: localRegion,
          AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
          AWS_LAMBDA_FUNCTION_NAME: functionName,
          AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
          AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
          AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
          TZ: ':UTC',
          // Lambda's runtime is Node 22+, where the SDK has nothing to warn about; Node 20 here.
          AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
          // The SDK's standard per-service endpoint setting: how handlers find dynalite with no
          // branch on where they run. The path names the function (dynalite ignores it): the
          // emulator can tell which function calls what.
          AWS_ENDPOINT_URL_DYNAMODB: `${values.dynamoEndpoint}/fn/${name}`,
          ...declared,
        },
      }),
    )
  }
  return hosts
}
