// Reads a synthesized template the way API Gateway will run it: route → integration → Lambda alias →
// function → bundle. The parity test compares what this finds with src/api.ts, so the path is followed
// through real references, never by construct names.
import { readFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import type { TemplateJson } from './synth-for-test.ts'

export interface DeployedFunction {
  readonly logicalId: string
  readonly aliasName: string
  readonly runtime: string
  /** Lambda's `Handler`: `file.export`. */
  readonly handler: string
  readonly architectures: readonly string[]
  readonly environment: Readonly<Record<string, unknown>>
  /** Absolute paths of the source files esbuild bundled (from the bundle's source map). */
  readonly bundleSources: readonly string[]
  /** Absolute path of the bundle's entry module (index.mjs), when the stack was bundled. */
  readonly bundleFile?: string
}

export interface DeployedRoute {
  readonly routeKey: string
  readonly authorizationType: string
  /** A `$default` route response makes the route two-way. */
  readonly twoWay: boolean
  readonly function: DeployedFunction
  readonly authorizer?: { readonly identitySource: readonly string[]; readonly function: DeployedFunction }
}

type Resources = TemplateJson['Resources']

export function deployedRoutes(template: TemplateJson, assemblyDir: string): Map<string, DeployedRoute> {
  const resources = template.Resources
  const routes = new Map<string, DeployedRoute>()
  for (const [routeId, route] of ofType(resources, 'AWS::ApiGatewayV2::Route')) {
    const p = route.Properties ?? {}
    const target = p.Target?.['Fn::Join']?.[1] as unknown[] | undefined
    if (target?.[0] !== 'integrations/') throw new Error(`Route ${p.RouteKey} has no Lambda integration target`)
    const integration = resources[refOf(target[1]) ?? '']
    if (integration?.Type !== 'AWS::ApiGatewayV2::Integration' || integration.Properties?.IntegrationType !== 'AWS_PROXY') {
      throw new Error(`Route ${p.RouteKey} does not target an AWS_PROXY integration`)
    }
    const authorizer = p.AuthorizerId === undefined ? undefined : resources[refOf(p.AuthorizerId) ?? '']
    routes.set(p.RouteKey, {
      routeKey: p.RouteKey,
      authorizationType: p.AuthorizationType,
      twoWay: [...ofType(resources, 'AWS::ApiGatewayV2::RouteResponse')].some(
        ([, response]) => refOf(response.Properties?.RouteId) === routeId && response.Properties?.RouteResponseKey === '$default',
      ),
      function: invokedFunction(resources, integration.Properties.IntegrationUri, assemblyDir),
      ...(authorizer && {
        authorizer: {
          identitySource: authorizer.Properties?.IdentitySource ?? [],
          function: invokedFunction(resources, authorizer.Properties?.AuthorizerUri, assemblyDir),
        },
      }),
    })
  }
  return routes
}

/** `arn:...:lambda:path/2015-03-31/functions/{alias ARN}/invocations` → the alias → its function. */
function invokedFunction(resources: Resources, uri: any, assemblyDir: string): DeployedFunction {
  const parts = uri?.['Fn::Join']?.[1] as unknown[] | undefined
  const aliasRef = parts?.find((part) => refOf(part) !== undefined && resources[refOf(part)!]?.Type === 'AWS::Lambda::Alias')
  if (aliasRef === undefined) throw new Error(`Invocation URI ${JSON.stringify(uri)} does not name a Lambda alias`)
  const alias = resources[refOf(aliasRef)!]
  const logicalId = refOf(alias.Properties?.FunctionName)!
  const fn = resources[logicalId]
  if (fn?.Type !== 'AWS::Lambda::Function') throw new Error(`Alias ${refOf(aliasRef)} does not point at a function`)
  const p = fn.Properties ?? {}
  const assetDir = join(assemblyDir, `asset.${String(p.Code?.S3Key).replace(/\.zip$/, '')}`)
  const bundle = readBundle(assetDir)
  return {
    logicalId,
    aliasName: alias.Properties?.Name,
    runtime: p.Runtime,
    handler: p.Handler,
    architectures: p.Architectures ?? [],
    environment: p.Environment?.Variables ?? {},
    ...bundle,
  }
}

function readBundle(assetDir: string): { bundleSources: string[]; bundleFile?: string } {
  let map: { sources: string[] }
  try {
    map = JSON.parse(readFileSync(join(assetDir, 'index.mjs.map'), 'utf8'))
  } catch {
    return { bundleSources: [] } // bundling skipped
  }
  // esbuild writes sources relative to its output folder, a sibling of the final asset folder.
  return { bundleSources: map.sources.map((source) => resolve(assetDir, source)), bundleFile: join(assetDir, 'index.mjs') }
}

function* ofType(resources: Resources, type: string): Generator<[string, Resources[string]]> {
  for (const entry of Object.entries(resources)) if (entry[1].Type === type) yield entry
}

function refOf(value: unknown): string | undefined {
  return typeof value === 'object' && value !== null && typeof (value as { Ref?: unknown }).Ref === 'string' ? (value as { Ref: string }).Ref : undefined
}
