// Bundles each function's handler the way the CDK stack does (NodejsFunction runs esbuild too), so
// a sandbox loads one file with plain Node: no TypeScript loader thread per sandbox, a fraction of
// the memory, and the same module graph Lambda runs. In watch mode esbuild knows every file a
// bundle includes and rebuilds on change: that is hot reload.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { context, type BuildContext, type Plugin } from 'esbuild'

export interface Bundles {
  /** The sandbox runtime (function-worker.ts), bundled. */
  readonly runtime: string
  /** Function name → its bundled handler module. */
  readonly functions: ReadonlyMap<string, string>
  close(): Promise<void>
}

export interface BundleOptions {
  /** Function name → absolute path of its handler module. */
  readonly entries: ReadonlyMap<string, string>
  /** Rebuild when a bundled file changes, then call `rebuilt` (dev). */
  readonly watch?: boolean
  readonly rebuilt?: (errors: readonly string[]) => void
}

const runtimeEntry = fileURLToPath(new URL('./function-worker.ts', import.meta.url))
const runtimeName = '__runtime'

export async function bundleFunctions(options: BundleOptions): Promise<Bundles> {
  const outdir = await mkdtemp(join(tmpdir(), 'dynamowave-functions-'))
  let first = true
  const notify: Plugin = {
    name: 'notify-rebuild',
    setup(build) {
      build.onEnd((result) => {
        if (first) return void (first = false)
        options.rebuilt?.(result.errors.map((e) => `${e.location?.file ?? ''}:${e.location?.line ?? ''} ${e.text}`))
      })
    },
  }
  const ctx: BuildContext = await context({
    entryPoints: { [runtimeName]: runtimeEntry, ...Object.fromEntries(options.entries) },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'inline',
    // CommonJS dependencies inside an ESM bundle still call require().
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
    plugins: [notify],
  })
  try {
    const result = await ctx.rebuild()
    if (result.errors.length > 0) throw new Error(result.errors.map((e) => e.text).join('\n'))
  } catch (error) {
    await ctx.dispose()
    await rm(outdir, { recursive: true, force: true })
    throw new Error(`Bundling the functions failed: ${error instanceof Error ? error.message : String(error)}`)
  }
  if (options.watch) await ctx.watch()
  return {
    runtime: join(outdir, `${runtimeName}.mjs`),
    functions: new Map([...options.entries.keys()].map((name) => [name, join(outdir, `${name}.mjs`)])),
    async close() {
      await ctx.dispose()
      await rm(outdir, { recursive: true, force: true })
    },
  }
}
