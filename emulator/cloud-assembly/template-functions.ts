// Lambda functions as a template declares them (AWS::Lambda::Function, its Version and Alias), read
// into function declarations whose entries are the staged asset files CDK built: the very code
// `cdk deploy` uploads. Lambda's rules are followed where the template leaves a default: 128 MB,
// 3 s, and the handler `file.export` found as the runtime interface client finds it (the module is
// the part of the base name before the first dot, tried as .js, .mjs, then .cjs; the rest is the
// export, dotted for a nested one). Node.js runtimes only, from a staged folder or inline code.
import { existsSync, mkdtempSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import type { EnvSource, FunctionDeclaration } from '../../src/api-declaration.ts'
import { CloudAssemblyError } from './cloud-assembly-error.ts'
import { environmentSource, type KnownValues } from './environment-sources.ts'
import { unresolved } from './intrinsics.ts'
import type { AssemblyStack } from './assembly-files.ts'
import type { TemplateScope } from './template-resources.ts'

export interface InvokedFunction {
  /** The function's logical id. */
  readonly functionId: string
  /** The version or alias invoked, when not the function itself. */
  readonly via?: string
  /** Provisioned concurrency of the version or alias invoked (0 when none). */
  readonly provisioned: number
}

/** Every ARN an integration may invoke (the function's, a version's, an alias's) → what it runs. */
export function invocationTargets(stack: AssemblyStack, scope: TemplateScope): Map<string, InvokedFunction> {
  const targets = new Map<string, InvokedFunction>()
  const provisionedOf = (id: string) => Number((scope.property(id, 'ProvisionedConcurrencyConfig') as { ProvisionedConcurrentExecutions?: unknown } | undefined)?.ProvisionedConcurrentExecutions ?? 0)
  for (const [id, resource] of Object.entries(stack.template.Resources)) {
    if (resource.Type === 'AWS::Lambda::Function') targets.set(String(scope.getAtt(id, 'Arn', id)), { functionId: id, provisioned: 0 })
    if (resource.Type === 'AWS::Lambda::Version' || resource.Type === 'AWS::Lambda::Alias') {
      const functionId = (resource.Properties?.FunctionName as { Ref?: string } | undefined)?.Ref
      if (typeof functionId === 'string') targets.set(String(scope.ref(id, id)), { functionId, via: id, provisioned: provisionedOf(id) })
    }
  }
  return targets
}

/** `arn:aws:apigateway:{region}:lambda:path/2015-03-31/functions/{function ARN}/invocations` → the function. */
export function invokedFunction(uri: unknown, targets: ReadonlyMap<string, InvokedFunction>, where: string): InvokedFunction {
  const arn = typeof uri === 'string' ? /^arn:[^:]+:apigateway:[^:]+:lambda:path\/2015-03-31\/functions\/(.+)\/invocations$/.exec(uri)?.[1] : undefined
  if (!arn) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}: ${JSON.stringify(uri)} does not invoke a Lambda function (only Lambda integrations are emulated)`)
  const target = targets.get(arn)
  if (!target) throw unresolved(where, `invokes ${arn}, which is no function, version or alias of this template`)
  return target
}

export interface TemplateFunction {
  readonly declaration: FunctionDeclaration
  /** The folder holding the function's code (where imports the Lambda runtime provides are resolved for). */
  readonly codeDir: string
  /** The code was inline (`Code.ZipFile`), written to `codeDir` by this load: removed on dispose. */
  readonly inline: boolean
}

export function templateFunction(stack: AssemblyStack, scope: TemplateScope, id: string, known: KnownValues): TemplateFunction {
  const where = `${id}.Properties`
  const p = (name: string) => scope.property(id, name) as any
  const runtime = p('Runtime')
  if (typeof runtime !== 'string' || !/^nodejs\d+\.x$/.test(runtime)) {
    throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.Runtime: ${JSON.stringify(runtime)} is not emulated (Node.js runtimes only)`)
  }
  if (Array.isArray(p('Layers')) && p('Layers').length > 0) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.Layers: layers are not emulated`)
  const codeDir = codeFolder(stack, p('Code'), `${where}.Code`)
  const handler = String(p('Handler') ?? '')
  const { file, exportName } = handlerModule(codeDir, handler, `${where}.Handler`)
  const variables = (p('Environment')?.Variables ?? {}) as Record<string, unknown>
  const environment: Record<string, EnvSource> = {}
  for (const [name, value] of Object.entries(variables)) environment[name] = environmentSource(value, known, `${where}.Environment.Variables.${name}`)
  const reserved = p('ReservedConcurrentExecutions')
  return {
    codeDir,
    inline: typeof p('Code')?.ZipFile === 'string',
    declaration: {
      entry: file,
      handler: exportName,
      memoryMb: Number(p('MemorySize') ?? 128),
      timeoutSeconds: Number(p('Timeout') ?? 3),
      environment,
      ...(reserved !== undefined && { reservedConcurrency: Number(reserved) }),
    },
  }
}

function codeFolder(stack: AssemblyStack, code: any, where: string): string {
  if (typeof code?.ZipFile === 'string') {
    // Lambda writes inline code as index.js (index.py for Python); CDK's Code.fromInline says `index.handler`.
    const dir = mkdtempSync(join(tmpdir(), 'cloud-assembly-inline-'))
    writeFileSync(join(dir, 'index.js'), code.ZipFile)
    return dir
  }
  if (code?.ImageUri !== undefined) throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}.ImageUri: container-image functions are not emulated`)
  const key = code?.S3Key
  const staged = typeof key === 'string' ? stack.assets.get(key) : undefined
  if (!staged) throw unresolved(where, `S3Key ${JSON.stringify(key)} is no asset of this assembly (code uploaded some other way cannot be run offline)`)
  if (!statSync(staged, { throwIfNoEntry: false })?.isDirectory()) {
    throw new CloudAssemblyError('CLOUD_ASSEMBLY_UNSUPPORTED', `${where}: asset ${staged} is an archive, not a staged folder; archives are not unpacked`)
  }
  return staged
}

function handlerModule(codeDir: string, handler: string, where: string): { file: string; exportName: string } {
  const slash = handler.lastIndexOf('/')
  const base = handler.slice(slash + 1)
  const dot = base.indexOf('.')
  if (dot <= 0 || dot === base.length - 1) throw unresolved(where, `${JSON.stringify(handler)} is not file.export`)
  const module = join(codeDir, handler.slice(0, slash + 1), base.slice(0, dot))
  const file = ['.js', '.mjs', '.cjs'].map((ext) => module + ext).find((candidate) => existsSync(candidate))
  if (!file) throw unresolved(where, `${JSON.stringify(handler)}: no ${base.slice(0, dot)}.js, .mjs or .cjs in ${dirname(module)}`)
  return { file, exportName: base.slice(dot + 1) }
}
