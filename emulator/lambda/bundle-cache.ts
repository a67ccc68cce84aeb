// Built function bundles kept on disk, so that an unchanged project starts without running esbuild.
// An entry's key covers what shapes the output besides the sources (esbuild's version and options,
// the entry map, the lockfile); its manifest holds the content hash of every file the build read
// outside node_modules (the lockfile stands for node_modules), and it is used only while they all
// hash the same. Entries never change once in place (built aside, then renamed), so parallel
// processes share them; each emulator links an entry's files into a folder of its own and runs from
// there, so neither pruning an entry nor a hot-reload rebuild touches what another process runs.
import { createHash, randomBytes } from 'node:crypto'
import { copyFile, link, mkdir, open, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises'
import { hostname } from 'node:os'
import { dirname, join, sep } from 'node:path'
import { ancestors, defaultCacheDir, findLockfiles } from './bundle-cache-location.ts'

export interface BundleCacheSettings {
  /** Where the entries live (default `<project>/node_modules/.cache/dynamowave-emulator`). */
  readonly dir?: string
  /** Entries kept, most recently used first; older ones go when a new one is stored (default 10). */
  readonly maxEntries?: number
}

/** What one build read and wrote: what `store()` needs. */
export interface BuildRecord {
  /** Absolute path of every file the build read (esbuild's metafile inputs). */
  readonly inputs: readonly string[]
  /** The output files' names, relative to the run folder. */
  readonly outputs: readonly string[]
  /** `Date.now()` just before esbuild started. */
  readonly startedAt: number
}

export interface BundleCache {
  readonly dir: string
  /** A new folder for one emulator's bundles, beside the entries (so source maps' relative paths hold). */
  newRunDir(): Promise<string>
  /** Links the files of a valid entry into `runDir` (verified); false when no entry is valid. */
  restore(runDir: string): Promise<boolean>
  /** Keeps the build found in `runDir` as an entry, unless an input may have changed while it ran. */
  store(runDir: string, build: BuildRecord): Promise<boolean>
}

interface Manifest {
  readonly version: typeof formatVersion
  readonly key: string
  /** Absolute path → sha256 of its content, or null: the file must not exist (a config file esbuild would read). */
  readonly inputs: Readonly<Record<string, string | null>>
  readonly outputs: Readonly<Record<string, { readonly size: number; readonly sha256: string }>>
}

const formatVersion = 1
const manifestName = 'manifest.json'
const entryName = /^[0-9a-f]{24}-[0-9a-f]{16}$/
/** Files esbuild reads beside the sources without listing them as inputs (module type, tsconfig paths, JSX...). */
const configNames = ['package.json', 'tsconfig.json', 'jsconfig.json']
/** A file modified this close to the build's start may not be what esbuild read (mtimes can be 1 s coarse). */
const mtimeSlackMs = 1000
/** A run or temp folder of a process on another host is left alone this long (its owner cannot be asked). */
const foreignOwnerMs = 7 * 24 * 3600_000
const owner = `${sha256(hostname()).slice(0, 8)}-${process.pid}`

/** `keyParts`: everything about the build besides the lockfile, as one canonical string. */
export async function openBundleCache(project: string | undefined, keyParts: string, settings: BundleCacheSettings = {}): Promise<BundleCache> {
  const dir = settings.dir ?? (await defaultCacheDir(project))
  const maxEntries = settings.maxEntries ?? 10
  await mkdir(dir, { recursive: true })
  const lockfiles = await findLockfiles(project)
  const lockHashes = await Promise.all(lockfiles.map(async (file) => [file, await hashFile(file)]))
  const key = sha256(JSON.stringify([formatVersion, keyParts, dir, lockHashes])).slice(0, 24)
  // Without a lockfile nothing vouches for node_modules: its files are hashed like the sources.
  const tracked = (path: string) => lockfiles.length === 0 || !path.split(sep).includes('node_modules')

  const candidates = async (): Promise<string[]> => {
    const names = (await readdir(dir)).filter((name) => name.startsWith(`${key}-`) && entryName.test(name))
    const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs ?? 0 })))
    return dated.sort((a, b) => b.mtime - a.mtime).map(({ name }) => join(dir, name))
  }

  return {
    dir,
    async newRunDir() {
      const runDir = join(dir, `run-${owner}-${randomBytes(4).toString('hex')}`)
      await mkdir(runDir)
      return runDir
    },

    async restore(runDir) {
      const current = new Map<string, Promise<string | null>>()
      const hashOf = (path: string) => current.get(path) ?? current.set(path, hashFile(path)).get(path)!
      for (const entry of await candidates()) {
        const manifest = await readManifest(entry, key)
        // Entries appear whole (renamed into place): one without a good manifest is damaged.
        if (!manifest) {
          await discard(dir, entry)
          continue
        }
        const inputs = Object.entries(manifest.inputs)
        const same = await Promise.all(inputs.map(async ([path, hash]) => (await hashOf(path)) === hash))
        if (same.includes(false)) continue
        if (await linkVerified(entry, runDir, manifest.outputs)) {
          // Most recently used: what pruning keeps.
          await utimes(entry, new Date(), new Date()).catch(() => {})
          return true
        }
        // Truncated or edited files: never trusted, and out of the way of the rebuilt entry's name.
        await discard(dir, entry)
      }
      return false
    },

    async store(runDir, build) {
      const files = await trackedFiles(build.inputs.filter(tracked))
      if (files.some((file) => file.mtimeMs > build.startedAt - mtimeSlackMs)) return false
      const inputs = Object.fromEntries(files.map((file) => [file.path, file.sha256]))
      const outputs: Record<string, { size: number; sha256: string }> = {}
      for (const name of build.outputs) {
        const [info, hash] = await Promise.all([stat(join(runDir, name)), hashFile(join(runDir, name))])
        outputs[name] = { size: info.size, sha256: hash! }
      }
      const manifest: Manifest = { version: formatVersion, key, inputs, outputs }
      const entry = join(dir, `${key}-${sha256(JSON.stringify(Object.entries(inputs).sort())).slice(0, 16)}`)
      const aside = join(dir, `tmp-${owner}-${randomBytes(4).toString('hex')}`)
      try {
        await mkdir(aside)
        for (const name of build.outputs) await linkOrCopy(join(runDir, name), join(aside, name))
        await writeFile(join(aside, manifestName), JSON.stringify(manifest))
        // A parallel process that built the same sources got there first (ENOTEMPTY / EEXIST): theirs
        // is the entry; this emulator runs from its own folder either way.
        await rename(aside, entry)
      } catch {
        await rm(aside, { recursive: true, force: true }).catch(() => {})
        return false
      }
      await prune(dir, maxEntries).catch(() => {})
      return true
    },
  }
}

/** The tracked inputs, plus every config file (or its absence) in their folders and above. */
async function trackedFiles(inputs: readonly string[]): Promise<{ path: string; sha256: string | null; mtimeMs: number }[]> {
  const configs = new Set<string>()
  for (const folder of new Set(inputs.map((input) => dirname(input)))) {
    for (const candidate of ancestors(folder)) for (const name of configNames) configs.add(join(candidate, name))
  }
  const paths = [...new Set([...inputs, ...configs])].sort()
  return Promise.all(
    paths.map(async (path) => {
      const [hash, info] = await Promise.all([hashFile(path), stat(path).catch(() => undefined)])
      return { path, sha256: hash, mtimeMs: info?.mtimeMs ?? 0 }
    }),
  )
}

async function readManifest(entry: string, key: string): Promise<Manifest | undefined> {
  try {
    const manifest = JSON.parse(await readFile(join(entry, manifestName), 'utf8')) as Manifest
    return manifest.version === formatVersion && manifest.key === key && manifest.inputs && manifest.outputs ? manifest : undefined
  } catch {
    return undefined
  }
}

/** Links the entry's outputs into `runDir` and checks the linked bytes, so what was checked is what runs. */
async function linkVerified(entry: string, runDir: string, outputs: Manifest['outputs']): Promise<boolean> {
  try {
    const checks = await Promise.all(
      Object.entries(outputs).map(async ([name, expected]) => {
        await linkOrCopy(join(entry, name), join(runDir, name))
        return (await hashFile(join(runDir, name))) === expected.sha256
      }),
    )
    if (!checks.includes(false)) return true
  } catch {
    // Missing files (a partial entry, or one pruned meanwhile): no entry to use.
  }
  await rm(runDir, { recursive: true, force: true })
  await mkdir(runDir, { recursive: true })
  return false
}

/** Keeps the newest entries, and clears what dead processes left (run folders, half-stored entries). */
async function prune(dir: string, maxEntries: number): Promise<void> {
  const names = await readdir(dir)
  const dated = await Promise.all(names.map(async (name) => ({ name, mtime: (await stat(join(dir, name)).catch(() => undefined))?.mtimeMs })))
  const entries = dated.filter(({ name, mtime }) => entryName.test(name) && mtime !== undefined).sort((a, b) => b.mtime! - a.mtime!)
  for (const { name } of entries.slice(maxEntries)) await discard(dir, join(dir, name))
  for (const { name, mtime } of dated) {
    if (name.startsWith('trash-') || ((name.startsWith('run-') || name.startsWith('tmp-')) && ownerGone(name, mtime ?? 0))) {
      await rm(join(dir, name), { recursive: true, force: true }).catch(() => {})
    }
  }
}

function ownerGone(name: string, mtime: number): boolean {
  const [, host, pid] = name.split('-')
  if (`${host}-${pid}` === owner) return false
  if (host !== owner.split('-')[0]) return Date.now() - mtime > foreignOwnerMs
  try {
    process.kill(Number(pid), 0)
    return false
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'EPERM'
  }
}

/** Takes an entry out of everyone's sight at once (a rename), then deletes it. */
async function discard(dir: string, entry: string): Promise<void> {
  const trash = join(dir, `trash-${randomBytes(4).toString('hex')}`)
  try {
    await rename(entry, trash)
  } catch {
    return // another process took it away first
  }
  await rm(trash, { recursive: true, force: true }).catch(() => {})
}

/** A hard link shares the bytes, and nothing ever writes into a linked file (rebuilds rename new ones over it). */
async function linkOrCopy(from: string, to: string): Promise<void> {
  await mkdir(dirname(to), { recursive: true })
  try {
    await link(from, to)
  } catch (error) {
    // No source, or something already there (never written over: it may be linked elsewhere).
    if (['ENOENT', 'EEXIST'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error
    // Another file system, or one without hard links.
    await copyFile(from, to)
  }
}

/** The file's sha256, or null when it cannot be read. In chunks: a start hashes megabytes of bundles, and whole-file buffers cost more in GC than the hashing. */
async function hashFile(path: string): Promise<string | null> {
  const hash = createHash('sha256')
  try {
    const file = await open(path)
    try {
      const chunk = Buffer.allocUnsafe(256 * 1024)
      for (let read; (read = (await file.read(chunk, 0, chunk.length, null)).bytesRead) > 0; ) hash.update(chunk.subarray(0, read))
    } finally {
      await file.close()
    }
  } catch {
    return null
  }
  return hash.digest('hex')
}

function sha256(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex')
}

