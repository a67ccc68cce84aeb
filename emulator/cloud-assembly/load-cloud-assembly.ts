// A synthesized CDK app (a cloud assembly) read into what the emulator runs: the WebSocket API with its
// routes, integrations, route responses, authorizer and stage; the Lambda functions those invoke, from
// the asset folders CDK staged; the DynamoDB tables; the Cognito user pool and client. Everything is
// taken from the template as CloudFormation would deploy it, through its references (never by
// construct names), so any CDK app written the documented way runs; every other resource is listed
// as not emulated, and what cannot be worked out refuses the start, naming the resource and property.
import { rmSync } from 'node:fs'
import type { ApiDeclaration, FunctionDeclaration, RouteDeclaration } from '../../src/api-declaration.ts'
import type { TableDeclaration } from '../../src/tables.ts'
import type { UserPoolDeclaration, UserPoolTriggers } from '../../src/user-pool-declaration.ts'
import type { ProvisionedCapacitySetting } from '../usage/provisioned-capacity.ts'
import { newApiId } from '../apigateway/aws-ids.ts'
import { readAssemblyStack } from './assembly-files.ts'
import { CloudAssemblyError } from './cloud-assembly-error.ts'
import { unresolved } from './intrinsics.ts'
import { invocationTargets, invokedFunction, templateFunction } from './template-functions.ts'
import { templateScope, type TemplateResource } from './template-resources.ts'
import { templateTable } from './template-tables.ts'
import { templateUserPool } from './template-user-pool.ts'
import { triggerEventNames } from '../cognito/user-pool-triggers.ts'

export interface CloudAssemblyOptions {
  /** The assembly folder, e.g. `cdk.out`. */
  readonly dir: string
  /** The stack (artifact id or stack name); default: the only one with a WebSocket API. */
  readonly stack?: string
  /** The API's stage, when the template deploys it to several. */
  readonly stage?: string
}

export interface LoadedCloudAssembly {
  /** The assembly folder, absolute. */
  readonly dir: string
  readonly stack: string
  readonly stage: string
  readonly apiId: string
  readonly api: ApiDeclaration
  readonly tables: Readonly<Record<string, TableDeclaration>>
  readonly userPool?: UserPoolDeclaration
  readonly provisionedConcurrency: Readonly<Record<string, number>>
  readonly provisionedCapacity: ProvisionedCapacitySetting
  /** Folders of the functions' code: imports the Lambda runtime provides are resolved for them. */
  readonly codeDirs: readonly string[]
  /** Resources not emulated, by type (functions no route or authorizer invokes among them). */
  readonly notEmulated: Readonly<Record<string, readonly string[]>>
  /** Values that name a resource which is not emulated (a function's variable naming a bucket). */
  readonly warnings: readonly string[]
  /** Removes what loading wrote (inline code). */
  dispose(): void
}

/** API Gateway's account-level default when a stage sets no route throttling (10,000 rps, burst 5,000). */
const accountThrottle = { rateLimit: 10_000, burstLimit: 5_000 }

export function loadCloudAssembly(options: CloudAssemblyOptions): LoadedCloudAssembly {
  const stack = readAssemblyStack(options.dir, options.stack)
  const resources = stack.template.Resources ?? {}
  const apiId = newApiId()
  const scope = templateScope(stack.template, apiId, stack.stackName)
  const ofType = (type: string, filter: (p: Record<string, any>) => boolean = () => true) =>
    Object.entries(resources).filter(([, r]) => r.Type === type && filter(r.Properties ?? {})) as [string, TemplateResource & { Properties: Record<string, any> }][]
  const refersTo = (value: unknown, id: string) => (value as { Ref?: unknown } | undefined)?.Ref === id
  // What the emulator runs; every other resource (another API's routes included) is listed as not emulated.
  const used = new Set<string>()

  const apis = ofType('AWS::ApiGatewayV2::Api', (p) => p.ProtocolType === 'WEBSOCKET')
  if (apis.length !== 1) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `stack ${stack.id}: ${apis.length} WebSocket APIs; the emulator serves one`)
  const [[apiLogicalId]] = apis
  const apiProp = (name: string) => scope.property(apiLogicalId, name) as any
  const stages = ofType('AWS::ApiGatewayV2::Stage', (p) => refersTo(p.ApiId, apiLogicalId)).map(([id]) => ({ id, name: String(scope.property(id, 'StageName')) }))
  const chosen = options.stage === undefined ? stages : stages.filter((s) => s.name === options.stage)
  if (chosen.length !== 1) {
    throw new CloudAssemblyError(
      'CLOUD_ASSEMBLY_UNSUPPORTED',
      `${apiLogicalId}: ${stages.length === 0 ? 'no stage deploys the API' : `stages ${stages.map((s) => s.name).join(', ')}`}${options.stage ? `; none is ${options.stage}` : stages.length > 1 ? '; choose one with --stage' : ''}`,
    )
  }
  const [stage] = chosen
  used.add(apiLogicalId).add(stage.id)
  const stageProp = (name: string) => scope.property(stage.id, name) as any

  const tables: Record<string, TableDeclaration> = {}
  const provisionedCapacity: Record<string, { read: number; write: number }> = {}
  for (const [id] of [...ofType('AWS::DynamoDB::Table'), ...ofType('AWS::DynamoDB::GlobalTable')]) {
    const name = String(scope.ref(id, id))
    const table = templateTable(id, name, evaluatedProperties(scope, id, resources[id]))
    tables[name] = table.declaration
    used.add(id)
    Object.assign(provisionedCapacity, table.capacity)
  }
  const known = { apiId, stage: stage.name, tables: new Set(Object.keys(tables)) }

  const targets = invocationTargets(stack, scope)
  const functions: Record<string, FunctionDeclaration> = {}
  const provisionedConcurrency: Record<string, number> = {}
  const codeDirs = new Set<string>()
  const inlineDirs: string[] = []
  const warnings: string[] = []
  const functionOf = (target: ReturnType<typeof invokedFunction>): string => {
    used.add(target.functionId)
    if (target.via) {
      used.add(target.via)
      // An alias runs the version it names.
      const version = (resources[target.via].Properties?.FunctionVersion as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt']?.[0]
      if (typeof version === 'string') used.add(version)
    }
    if (!functions[target.functionId]) {
      const fn = templateFunction(stack, scope, target.functionId, known)
      const leaning = scope.takeNotEmulated()
      if (leaning.length > 0) warnings.push(`function ${target.functionId}'s environment names ${leaning.map((id) => `${resources[id].Type} ${id}`).join(', ')}, which the emulator does not emulate`)
      functions[target.functionId] = fn.declaration
      codeDirs.add(fn.codeDir)
      if (fn.inline) inlineDirs.push(fn.codeDir)
    }
    if (target.provisioned > 0) provisionedConcurrency[target.functionId] = Math.max(provisionedConcurrency[target.functionId] ?? 0, target.provisioned)
    return target.functionId
  }
  const functionFor = (uri: unknown, where: string): string => functionOf(invokedFunction(uri, targets, where))
  /** A trigger names the ARN itself (of the function, a version or an alias). */
  const functionForArn = (arn: unknown, where: string): string => {
    const target = targets.get(String(arn))
    if (!target) throw unresolved(where, `invokes ${String(arn)}, which is no function, version or alias of this template`)
    return functionOf(target)
  }

  let authorizer: ApiDeclaration['authorizer']
  const routes: RouteDeclaration[] = []
  for (const [routeId, route] of ofType('AWS::ApiGatewayV2::Route', (p) => refersTo(p.ApiId, apiLogicalId))) {
    const prop = (name: string) => scope.property(routeId, name) as any
    const routeKey = String(prop('RouteKey'))
    const where = `${routeId}.Properties`
    const target = /^integrations\/(.+)$/.exec(String(prop('Target') ?? ''))?.[1]
    if (!target || resources[target]?.Type !== 'AWS::ApiGatewayV2::Integration') throw unresolved(`${where}.Target`, 'expected integrations/<an integration of this template>')
    used.add(routeId).add(target)
    const integrationType = scope.property(target, 'IntegrationType')
    if (integrationType !== 'AWS_PROXY') {
      throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${target}.Properties.IntegrationType: ${String(integrationType)} is not emulated (Lambda proxy integrations only)`)
    }
    const fn = functionFor(scope.property(target, 'IntegrationUri'), `${target}.Properties.IntegrationUri`)
    const authorization = prop('AuthorizationType') ?? 'NONE'
    if (authorization === 'CUSTOM') {
      // Spec §1.3: only $connect takes an authorizer on a WebSocket API.
      if (routeKey !== '$connect') throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.AuthorizationType: CUSTOM on ${routeKey}; WebSocket APIs authorize $connect only`)
      const authorizerId = route.Properties.AuthorizerId?.Ref
      if (typeof authorizerId !== 'string' || resources[authorizerId]?.Type !== 'AWS::ApiGatewayV2::Authorizer') throw unresolved(`${where}.AuthorizerId`, 'expected a Ref to an authorizer of this template')
      used.add(authorizerId)
      const a = (name: string) => scope.property(authorizerId, name) as any
      if (a('AuthorizerType') !== 'REQUEST') throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${authorizerId}.Properties.AuthorizerType: ${a('AuthorizerType')} (WebSocket APIs take REQUEST authorizers)`)
      authorizer = { function: functionFor(a('AuthorizerUri'), `${authorizerId}.Properties.AuthorizerUri`), identitySource: (a('IdentitySource') ?? []).map(String) }
    } else if (authorization !== 'NONE') {
      throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.AuthorizationType: ${authorization} is not emulated (NONE, or CUSTOM with a Lambda authorizer)`)
    }
    const responses = ofType('AWS::ApiGatewayV2::RouteResponse', (p) => refersTo(p.RouteId, routeId) && p.RouteResponseKey === '$default')
    for (const [id] of responses) used.add(id)
    const twoWay = responses.length > 0
    routes.push({ routeKey, function: fn, ...(twoWay && { twoWay: true }) })
  }

  // The pool's triggers are functions too: read before the API's function list is complete.
  const userPool = poolOf(used, ofType, (id) => evaluatedProperties(scope, id, resources[id]), functionForArn)
  const settings = stageProp('DefaultRouteSettings') ?? {}
  const api: ApiDeclaration = {
    name: String(apiProp('Name') ?? apiLogicalId),
    routeSelectionExpression: String(apiProp('RouteSelectionExpression') ?? '$request.body.action'),
    routes,
    ...(authorizer && { authorizer }),
    functions,
    throttle:
      settings.ThrottlingRateLimit === undefined && settings.ThrottlingBurstLimit === undefined
        ? accountThrottle
        : { rateLimit: Number(settings.ThrottlingRateLimit ?? accountThrottle.rateLimit), burstLimit: Number(settings.ThrottlingBurstLimit ?? accountThrottle.burstLimit) },
    ...(stageProp('StageVariables') && { stageVariables: stageProp('StageVariables') }),
  }

  const notEmulated: Record<string, string[]> = {}
  for (const [id, resource] of Object.entries(resources)) if (!used.has(id)) (notEmulated[resource.Type] ??= []).push(id)
  return {
    dir: stack.dir,
    stack: stack.id,
    stage: stage.name,
    apiId,
    api,
    tables,
    ...(userPool && { userPool }),
    provisionedConcurrency,
    provisionedCapacity,
    codeDirs: [...codeDirs],
    notEmulated,
    warnings,
    dispose() {
      for (const dir of inlineDirs) rmSync(dir, { recursive: true, force: true })
    },
  }
}

function evaluatedProperties(scope: ReturnType<typeof templateScope>, id: string, resource: TemplateResource): Record<string, unknown> {
  return Object.fromEntries(Object.keys(resource.Properties ?? {}).map((name) => [name, scope.property(id, name)]))
}

/** CloudFormation's LambdaConfig keys → the declaration's triggers (the ones the local Cognito runs). */
const triggerKeys: Readonly<Record<string, keyof UserPoolTriggers>> = Object.fromEntries(
  Object.entries(triggerEventNames).map(([trigger, key]) => [key, trigger as keyof UserPoolTriggers]),
)

function poolOf(
  used: Set<string>,
  ofType: (type: string, where?: (p: Record<string, any>) => boolean) => [string, TemplateResource & { Properties: Record<string, any> }][],
  props: (id: string) => Record<string, unknown>,
  triggerFunction: (arn: unknown, where: string) => string,
): UserPoolDeclaration | undefined {
  const pools = ofType('AWS::Cognito::UserPool')
  if (pools.length === 0) return undefined
  if (pools.length > 1) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${pools.length} user pools (${pools.map(([id]) => id).join(', ')}); the local Cognito runs one`)
  const [[poolId]] = pools
  const own = ofType('AWS::Cognito::UserPoolClient', (p) => p.UserPoolId?.Ref === poolId)
  if (own.length !== 1) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${poolId}: ${own.length} app clients; the local Cognito runs one`)
  used.add(poolId).add(own[0][0])
  const groups = ofType('AWS::Cognito::UserPoolGroup', (p) => p.UserPoolId?.Ref === poolId)
  for (const [id] of groups) {
    used.add(id)
    if (props(id).GroupName === undefined) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${id}.Properties.GroupName: a group CloudFormation names is not emulated (its name is known only once deployed)`)
  }
  const poolProps = props(poolId)
  const deployed = templateUserPool(poolProps, props(own[0][0]), groups.map(([id]) => props(id)))
  if (!deployed.signInAliases.username) {
    throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${poolId}.Properties.UsernameAttributes: an email or phone number as the username is not emulated (use AliasAttributes, CDK's signInAliases with username: true)`)
  }
  const triggers: Partial<Record<keyof UserPoolTriggers, string>> = {}
  const lambdaConfig = (poolProps.LambdaConfig ?? {}) as Record<string, unknown>
  for (const [key, arn] of Object.entries(lambdaConfig)) {
    const where = `${poolId}.Properties.LambdaConfig.${key}`
    if (key === 'PreTokenGenerationConfig') {
      const config = arn as { LambdaArn?: unknown; LambdaVersion?: unknown }
      if (config.LambdaVersion !== undefined && config.LambdaVersion !== 'V1_0') throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.LambdaVersion: ${String(config.LambdaVersion)} is not emulated (version 1 only)`)
      if (config.LambdaArn !== undefined) triggers.preTokenGeneration = triggerFunction(config.LambdaArn, `${where}.LambdaArn`)
      continue
    }
    const trigger = triggerKeys[key]
    if (!trigger) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}: this trigger is not emulated (PreSignUp, PostConfirmation and PreTokenGeneration are)`)
    triggers[trigger] = triggerFunction(arn, where)
  }
  // The permissions that let Cognito invoke them are the service's business, not the emulator's.
  for (const [id] of ofType('AWS::Lambda::Permission', (p) => p.Principal === 'cognito-idp.amazonaws.com')) used.add(id)
  return { ...deployed, signInAliases: { username: true, email: deployed.signInAliases.email }, ...(Object.keys(triggers).length > 0 && { triggers }) }
}
