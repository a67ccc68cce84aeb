// Bundles each function's handler the way the CDK stack does (NodejsFunction runs esbuild too), so
// a sandbox loads one plain .mjs file: no TypeScript loader thread per sandbox, a fraction of the
// memory and cold-start time, and the module graph Lambda runs. An unchanged project reuses the
// bundles of an earlier start (bundle-cache.ts) without running esbuild; hot reload is a rebuild.
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises'
import { randomBytes } from 'node:crypto'
import { tmpdir } from 'node:os'
import { basename, dirname, join, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { context, version as esbuildVersion, type BuildContext, type BuildOptions, type OutputFile } from 'esbuild'
import { openBundleCache, type BundleCacheSettings } from './bundle-cache.ts'
import { findProjectRoot } from './bundle-cache-location.ts'
import { sdkModuleBuildsPlugin } from './sdk-module-builds-plugin.ts'

export interface Bundles {
  /**
   * The sandbox runtime (function-worker.ts), bundled, as of the latest successful build. Read it
   * when a sandbox starts, not once: a rebuild may put the bundles elsewhere.
   */
  readonly runtime: string
  /** Function name → its bundled handler module, as of the latest successful build (read at sandbox start too). */
  readonly functions: ReadonlyMap<string, string>
  readonly sourceMaps: boolean
  /** Whether this start reused cached bundles (esbuild did not run). */
  readonly fromCache: boolean
  /** Bundles again from the current sources; on errors the previous bundles stay, and the errors are returned. */
  rebuild(): Promise<string[]>
  /** Removes this instance's bundles (never a cache entry, which other emulators may be using). */
  close(): Promise<void>
}

/** esbuild options a caller may add (plugins, define, loader...); the ones that lay out the output are the bundler's. */
export type ExtraBuildOptions = Omit<
  BuildOptions,
  'entryPoints' | 'stdin' | 'outdir' | 'outfile' | 'outbase' | 'outExtension' | 'entryNames' | 'chunkNames' | 'splitting' | 'write' | 'metafile' | 'absWorkingDir' | 'bundle' | 'format' | 'platform' | 'sourcemap' | 'logLevel'
>

export interface BundleOptions {
  readonly sourceMaps?: boolean
  readonly esbuild?: ExtraBuildOptions
  /**
   * What the cache key cannot read from `esbuild` itself: plugins are code, so name them and their
   * settings here (e.g. `'my-plugin@1.2.0 {"mode":"x"}'`). Required with plugins while caching.
   */
  readonly cacheKeyParts?: string
  /** Where built bundles are kept between starts; `false`: build at every start, keep nothing. */
  readonly cache?: false | BundleCacheSettings
  /** esbuild's `context()`, replaceable (tests count the builds through it). */
  readonly esbuildContext?: typeof context
}

/** A bundling failure, with the build's own messages. */
export class BundleError extends Error {
  constructor(
    readonly code: 'BUNDLE_FAILED' | 'BUNDLE_CACHE_KEY_MISSING',
    message: string,
  ) {
    super(message)
    this.name = 'BundleError'
  }
}

const runtimeEntry = fileURLToPath(new URL('./function-worker.ts', import.meta.url))
const runtimeName = '__runtime'

/** `entries`: function name → absolute path of its handler module. */
export async function bundleFunctions(entries: ReadonlyMap<string, string>, options: BundleOptions = {}): Promise<Bundles> {
  const entryPoints = { [runtimeName]: runtimeEntry, ...Object.fromEntries(entries) }
  const project = await findProjectRoot(entries.size > 0 ? entries.values() : [runtimeEntry])
  // A fixed working folder: esbuild writes paths relative to it into the bundles' comments.
  const workingDir = project ?? process.cwd()
  const buildOptions: BuildOptions = {
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    // Less code for every sandbox to parse and compile (names are kept, so errors and stacks still name
    // their functions; with source maps, stacks point at the sources): measured 7–12 % less CPU per
    // delivery in the fan-out benchmark, about 10 MB less memory.
    minifyWhitespace: true,
    minifySyntax: true,
    // CommonJS dependencies inside an ESM bundle still call require(). Its own name: a staged CDK
    // bundle (cloud-assembly mode) brings this very import under CDK's usual name.
    banner: { js: "import { createRequire as __emulatorCreateRequire } from 'node:module'; const require = __emulatorCreateRequire(import.meta.url);" },
    ...options.esbuild,
    // After the caller's: the fast path's wrapper resolves the SDK through it too.
    plugins: [...(options.esbuild?.plugins ?? []), sdkModuleBuildsPlugin],
    sourcemap: options.sourceMaps ? 'inline' : false,
    entryPoints,
    absWorkingDir: workingDir,
    outExtension: { '.js': '.mjs' },
    // Written here, each file aside then renamed over: a sandbox starting mid-rebuild reads a whole file.
    write: false,
    metafile: true,
    logLevel: 'silent',
  }
  const cache = options.cache === false ? undefined : await openCache(project, buildOptions, options)
  const outdir = cache ? await cache.newRunDir() : await mkdtemp(join(tmpdir(), 'dynamowave-functions-'))
  const createContext = options.esbuildContext ?? context

  let ctx: BuildContext | undefined
  // Made lazily: a start from the cache never runs esbuild; its first rebuild does.
  const build = async (): Promise<{ errors: string[]; inputs: string[]; outputs: string[] }> => {
    try {
      ctx ??= await createContext({ ...buildOptions, outdir })
      const result = await ctx.rebuild()
      if (result.errors.length > 0) return { errors: result.errors.map(describe), inputs: [], outputs: [] }
      await writeOutputs(result.outputFiles ?? [])
      const inputs = Object.keys(result.metafile?.inputs ?? {}).map((input) => resolve(workingDir, input))
      return { errors: [], inputs, outputs: (result.outputFiles ?? []).map((file) => relative(outdir, file.path)) }
    } catch (error) {
      const errors = (error as { errors?: Parameters<typeof describe>[0][] }).errors
      return { errors: errors ? errors.map(describe) : [String(error)], inputs: [], outputs: [] }
    }
  }
  const fromCache = cache ? await cache.restore(outdir).catch(() => false) : false
  if (!fromCache) {
    const startedAt = Date.now()
    const built = await build()
    if (built.errors.length > 0) {
      await ctx?.dispose()
      await rm(outdir, { recursive: true, force: true })
      throw new BundleError('BUNDLE_FAILED', `Bundling the functions failed:\n${built.errors.join('\n')}`)
    }
    // Best effort: a cache that cannot be written only costs the next start a build.
    await cache?.store(outdir, { ...built, startedAt }).catch(() => false)
    // esbuild's incremental state costs its service process hundreds of MB (about 300 MB for the
    // chat's 15 functions); most runs never rebuild. The first reload builds afresh and keeps it.
    await ctx?.dispose()
    ctx = undefined
  }

  // The folder is this instance's own and stays put today; the getters let a later build move it.
  const current = {
    runtime: join(outdir, `${runtimeName}.mjs`),
    functions: new Map([...entries.keys()].map((name) => [name, join(outdir, `${name}.mjs`)])) as ReadonlyMap<string, string>,
  }
  // One build at a time (a watcher and reload() may ask together); close() waits for it.
  let queue: Promise<unknown> = Promise.resolve()
  return {
    get runtime() {
      return current.runtime
    },
    get functions() {
      return current.functions
    },
    sourceMaps: options.sourceMaps ?? false,
    fromCache,
    rebuild() {
      const run = queue.then(async () => (await build()).errors)
      queue = run.catch(() => {})
      return run
    },
    async close() {
      await queue
      await ctx?.dispose()
      await rm(outdir, { recursive: true, force: true })
    },
  }
}

async function openCache(project: string | undefined, buildOptions: BuildOptions, options: BundleOptions) {
  const plugins = buildOptions.plugins ?? []
  if ((options.esbuild?.plugins ?? []).length > 0 && options.cacheKeyParts === undefined) {
    throw new BundleError('BUNDLE_CACHE_KEY_MISSING', 'esbuild plugins need `cacheKeyParts` naming them and their settings, or `cache: false`')
  }
  const keyParts = canonicalJson({
    esbuild: esbuildVersion,
    options: { ...buildOptions, plugins: plugins.map((plugin) => plugin.name) },
    cacheKeyParts: options.cacheKeyParts ?? null,
  })
  // A cache folder that cannot be made (read-only node_modules...) only means building every time.
  return openBundleCache(project, keyParts, options.cache || {}).catch(() => undefined)
}

async function writeOutputs(files: readonly OutputFile[]): Promise<void> {
  await Promise.all(
    files.map(async (file) => {
      const aside = join(dirname(file.path), `.${basename(file.path)}.${randomBytes(4).toString('hex')}.tmp`)
      await writeFile(aside, file.contents)
      // Renamed over, never written into: the old file may be a hard link to a cache entry.
      await rename(aside, file.path)
    }),
  )
}

/** JSON with object keys sorted, so equal options give equal keys. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v instanceof RegExp) return String(v)
    if (v && typeof v === 'object' && !Array.isArray(v)) return Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    return v
  })
}

function describe(error: { text: string; location?: { file: string; line: number; column: number } | null }): string {
  const at = error.location ? `${error.location.file}:${error.location.line}:${error.location.column}: ` : ''
  return `${at}${error.text}`
}
