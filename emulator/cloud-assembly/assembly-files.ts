// The files of a cloud assembly (`cdk synth`'s output folder): `manifest.json` lists its artifacts;
// a stack is an `aws:cloudformation:stack` artifact with its template file, and its assets are in
// the `cdk:asset-manifest` artifact it depends on, each staged as a folder (`asset.<hash>`) that is
// uploaded as the S3 object key the template's `Code.S3Key` names (cloud-assembly-schema).
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { CloudAssemblyError } from './cloud-assembly-error.ts'
import type { Template } from './template-resources.ts'

export interface AssemblyStack {
  /** The artifact id (what `cdk deploy <id>` takes). */
  readonly id: string
  readonly stackName: string
  /** The assembly folder, absolute. */
  readonly dir: string
  readonly template: Template
  /** S3 object key → the staged folder or file it is uploaded from (absolute). */
  readonly assets: ReadonlyMap<string, string>
}

interface Artifact {
  readonly type: string
  readonly displayName?: string
  readonly dependencies?: readonly string[]
  readonly properties?: { readonly templateFile?: string; readonly stackName?: string; readonly file?: string }
}

export function readAssemblyStack(dir: string, wanted?: string): AssemblyStack {
  const root = resolve(dir)
  const manifest = readJson(resolve(root, 'manifest.json'), `${root} is not a cloud assembly (no manifest.json; run \`cdk synth\` first)`) as {
    artifacts?: Record<string, Artifact>
  }
  const artifacts = manifest.artifacts ?? {}
  const stacks = Object.entries(artifacts).filter(([, a]) => a.type === 'aws:cloudformation:stack')
  const load = ([id, artifact]: [string, Artifact]): AssemblyStack => {
    const template = readJson(resolve(root, artifact.properties?.templateFile ?? `${id}.template.json`), `stack ${id}: its template file is missing`) as Template
    return { id, stackName: artifact.properties?.stackName ?? id, dir: root, template, assets: assetsOf(root, artifact, artifacts) }
  }
  const names = stacks.map(([id]) => id).join(', ') || 'none'
  if (wanted !== undefined) {
    const found = stacks.find(([id, a]) => id === wanted || a.properties?.stackName === wanted || a.displayName === wanted)
    if (!found) throw new CloudAssemblyError('CLOUD_ASSEMBLY_NOT_FOUND', `${root} has no stack ${wanted} (stacks: ${names})`)
    return load(found)
  }
  const loaded = stacks.map(load)
  const withWebSocket = loaded.filter((stack) =>
    Object.values(stack.template.Resources ?? {}).some((r) => r.Type === 'AWS::ApiGatewayV2::Api' && r.Properties?.ProtocolType === 'WEBSOCKET'),
  )
  if (withWebSocket.length === 1) return withWebSocket[0]
  throw new CloudAssemblyError(
    'CLOUD_ASSEMBLY_NOT_FOUND',
    withWebSocket.length === 0
      ? `${root}: no stack has a WebSocket API (stacks: ${names})`
      : `${root}: ${withWebSocket.length} stacks have a WebSocket API (${withWebSocket.map((s) => s.id).join(', ')}); choose one with --stack`,
  )
}

function assetsOf(root: string, stack: Artifact, artifacts: Readonly<Record<string, Artifact>>): Map<string, string> {
  const assets = new Map<string, string>()
  for (const dependency of stack.dependencies ?? []) {
    const artifact = artifacts[dependency]
    if (artifact?.type !== 'cdk:asset-manifest' || !artifact.properties?.file) continue
    const files = (readJson(resolve(root, artifact.properties.file), `asset manifest ${artifact.properties.file} is missing`) as {
      files?: Record<string, { source?: { path?: string }; destinations?: Record<string, { objectKey?: string }> }>
    }).files
    for (const file of Object.values(files ?? {})) {
      if (!file.source?.path) continue
      for (const destination of Object.values(file.destinations ?? {})) {
        if (destination.objectKey) assets.set(destination.objectKey, resolve(root, file.source.path))
      }
    }
  }
  return assets
}

function readJson(file: string, missing: string): unknown {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch {
    throw new CloudAssemblyError('CLOUD_ASSEMBLY_NOT_FOUND', missing)
  }
  try {
    return JSON.parse(text)
  } catch (error) {
    throw new CloudAssemblyError('CLOUD_ASSEMBLY_NOT_FOUND', `${file} is not JSON: ${(error as Error).message}`)
  }
}
