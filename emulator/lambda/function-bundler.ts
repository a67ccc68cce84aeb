// Bundles each function's handler the way the CDK stack does (NodejsFunction runs esbuild too), so
// a sandbox loads one plain .mjs file: no TypeScript loader thread per sandbox, a fraction of the
// memory and cold-start time, and the module graph Lambda runs. Hot reload is a rebuild.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { context, type BuildContext, type Plugin } from 'esbuild'

export interface Bundles {
  /** The sandbox runtime (function-worker.ts), bundled. */
  readonly runtime: string
  /** Function name → its bundled handler module. */
  readonly functions: ReadonlyMap<string, string>
  readonly sourceMaps: boolean
  /** Bundles again (incrementally); on errors the previous bundles stay, and the errors are returned. */
  rebuild(): Promise<string[]>
  close(): Promise<void>
}

const runtimeEntry = fileURLToPath(new URL('./function-worker.ts', import.meta.url))
const runtimeName = '__runtime'
const fastHttpHandler = fileURLToPath(new URL('./fast-http-handler.ts', import.meta.url))

/**
 * The SDK's Node HTTP request handler, wrapped so that requests for the emulator take the sandbox's
 * fast path (fast-path.ts). Only the request handler changes: the handler's own code, the SDK's
 * middleware, signing and errors are bundled as they are.
 */
const fastPathPlugin: Plugin = {
  name: 'dynamowave-fast-path',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/node-http-handler$/ }, async (args) => {
      // build.resolve runs this callback again: that inner call lets esbuild resolve as usual.
      if ((args.pluginData as { real?: boolean } | undefined)?.real) return undefined
      // The package as the importer would have found it (its own node_modules, its version).
      const real = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } })
      if (real.errors.length > 0) return { errors: real.errors }
      return { path: real.path, namespace: 'fast-path' }
    })
    build.onLoad({ filter: /.*/, namespace: 'fast-path' }, (args) => ({
      contents: [
        `export * from ${JSON.stringify(args.path)}`,
        `import { NodeHttpHandler as Base } from ${JSON.stringify(args.path)}`,
        `import { HttpResponse, buildQueryString } from '@smithy/core/protocols'`,
        `import { withFastPath } from ${JSON.stringify(fastHttpHandler)}`,
        `export const NodeHttpHandler = withFastPath(Base, HttpResponse, buildQueryString)`,
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }))
  },
}

/** `entries`: function name → absolute path of its handler module. */
export async function bundleFunctions(entries: ReadonlyMap<string, string>, options: { sourceMaps?: boolean } = {}): Promise<Bundles> {
  const outdir = await mkdtemp(join(tmpdir(), 'dynamowave-functions-'))
  const ctx: BuildContext = await context({
    entryPoints: { [runtimeName]: runtimeEntry, ...Object.fromEntries(entries) },
    outdir,
    outExtension: { '.js': '.mjs' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: options.sourceMaps ? 'inline' : false,
    // CommonJS dependencies inside an ESM bundle still call require().
    banner: { js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);" },
    logLevel: 'silent',
    plugins: [fastPathPlugin],
  })
  const rebuild = async () => {
    try {
      const result = await ctx.rebuild()
      return result.errors.map(describe)
    } catch (error) {
      const errors = (error as { errors?: Parameters<typeof describe>[0][] }).errors
      return errors ? errors.map(describe) : [String(error)]
    }
  }
  const errors = await rebuild()
  if (errors.length > 0) {
    await ctx.dispose()
    await rm(outdir, { recursive: true, force: true })
    throw new Error(`Bundling the functions failed:\n${errors.join('\n')}`)
  }
  return {
    runtime: join(outdir, `${runtimeName}.mjs`),
    functions: new Map([...entries.keys()].map((name) => [name, join(outdir, `${name}.mjs`)])),
    sourceMaps: options.sourceMaps ?? false,
    rebuild,
    async close() {
      await ctx.dispose()
      await rm(outdir, { recursive: true, force: true })
    },
  }
}

function describe(error: { text: string; location?: { file: string; line: number; column: number } | null }): string {
  const at = error.location ? `${error.location.file}:${error.location.line}:${error.location.column}: ` : ''
  return `${at}${error.text}`
}
