// Synthesizes the chat stack in-process for tests, the way `npm run synth` does (cdk.json's context,
// then overrides), into a temporary cloud assembly. Synth is slow (esbuild bundles every function), so a
// test file synthesizes once and shares the result; `bundling: false` skips esbuild when a test looks
// at the template only.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { App, type PolicyViolation } from 'aws-cdk-lib'
import { Template } from 'aws-cdk-lib/assertions'
import { AwsSolutionsChecks } from 'cdk-nag'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { api as declaredApi } from '../src/api.ts'
import { tables as declaredTables, type TableDeclaration } from '../src/tables.ts'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { userPool as declaredUserPool } from '../src/user-pool.ts'
import { ChatStack } from './chat-stack.ts'
import { readStackConfig, stackNameOf, type StackConfig } from './stack-config.ts'

export const projectRoot = fileURLToPath(new URL('..', import.meta.url))

export interface SynthOptions {
  readonly api?: ApiDeclaration
  readonly tables?: Readonly<Record<string, TableDeclaration>>
  readonly userPool?: UserPoolDeclaration
  /** Context on top of cdk.json's, e.g. `{ 'chat:billingMode': 'PAY_PER_REQUEST' }`. */
  readonly context?: Readonly<Record<string, unknown>>
  /** Run esbuild (needed to look inside the function bundles). Default true. */
  readonly bundling?: boolean
}

export interface Synthesized {
  readonly stack: ChatStack
  readonly config: StackConfig
  readonly template: Template
  /** The template as plain JSON, for walking references. */
  readonly json: TemplateJson
  readonly assemblyDir: string
  /** cdk-nag AwsSolutions findings (errors and warnings) not acknowledged in code. */
  readonly nagFindings: readonly PolicyViolation[]
  /** A file of a staged asset, by the asset's hash (its S3 object key without `.zip`). */
  readAsset(hash: string, file: string): string
  dispose(): void
}

export interface TemplateJson {
  readonly Resources: Readonly<Record<string, { readonly Type: string; readonly Properties?: Record<string, any>; readonly DependsOn?: unknown }>>
  readonly Outputs?: Readonly<Record<string, { readonly Value: unknown }>>
}

export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(join(projectRoot, 'cdk.json'), 'utf8')).context
}

export function synthChatStack(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(join(tmpdir(), 'chat-synth-'))
  try {
    const app = new App({
      outdir,
      context: {
        ...cdkJsonContext(),
        // An empty list of stacks to bundle makes CDK skip esbuild and stage nothing.
        ...(options.bundling === false && { 'aws:cdk:bundling-stacks': [] }),
        ...options.context,
      },
    })
    const api = options.api ?? declaredApi
    const config = readStackConfig((key) => app.node.tryGetContext(key))
    const stack = new ChatStack(app, stackNameOf(api.name, config.stage), {
      api,
      tables: options.tables ?? declaredTables,
      userPool: options.userPool ?? declaredUserPool,
      config,
      root: projectRoot,
      webDir: join(projectRoot, 'src/web'),
    })
    const assembly = app.synth()
    const json = assembly.getStackArtifact(stack.artifactId).template as TemplateJson
    const nagFindings = new AwsSolutionsChecks().validateScope(app).violations
    return {
      stack,
      config,
      template: Template.fromJSON(json as Record<string, any>),
      json,
      assemblyDir: outdir,
      nagFindings,
      readAsset: (hash, file) => readFileSync(join(outdir, `asset.${hash}`, file), 'utf8'),
      dispose: () => rmSync(outdir, { recursive: true, force: true }),
    }
  } catch (error) {
    rmSync(outdir, { recursive: true, force: true })
    throw error
  }
}
