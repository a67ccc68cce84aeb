// Bundles each function's handler the way the CDK stack does (NodejsFunction runs esbuild too), so
// a sandbox loads one plain .mjs file: no TypeScript loader thread per sandbox, a fraction of the
// memory and cold-start time, and the module graph Lambda runs. Hot reload is a rebuild.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { context, type BuildContext } from 'esbuild'

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
