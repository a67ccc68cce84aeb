// The bundle cache: a start with unchanged sources, lockfile and options runs no esbuild build; any
// change rebuilds; parallel processes share the cache safely; a damaged entry is never trusted.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, unlink, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { context } from 'esbuild'
import { bundleFunctions, type BundleOptions, type Bundles } from './function-bundler.ts'

const handlerSource = `import { greeting } from './greeting.ts'\nexport const handler = async () => greeting\n`
const greetingSource = (word: string) => `export const greeting: string = '${word}'\n`

/** A small project: two handlers sharing a module, a package.json and a lockfile, all written a minute ago. */
async function project(t: { after(fn: () => Promise<void>): void }) {
  const root = await mkdtemp(join(tmpdir(), 'bundle-cache-'))
  t.after(() => rm(root, { recursive: true, force: true }))
  const cacheDir = join(root, 'cache')
  let builds = 0
  const countingContext: typeof context = async (options) => {
    const ctx = await context(options)
    const rebuild = ctx.rebuild.bind(ctx)
    return Object.assign(ctx, { rebuild: () => (builds++, rebuild()) })
  }
  const write = async (path: string, content: string) => {
    const file = join(root, path)
    await mkdir(dirname(file), { recursive: true })
    await writeFile(file, content)
    // Not just written: a file modified while (or just before) esbuild ran is not cached on purpose.
    const past = new Date(Date.now() - 60_000)
    await utimes(file, past, past)
  }
  await write('package.json', '{ "name": "fixture", "type": "module" }\n')
  await write('package-lock.json', '{ "lockfileVersion": 3, "packages": {} }\n')
  await write('handlers/greeting.ts', greetingSource('hello'))
  await write('handlers/a.ts', handlerSource)
  await write('handlers/b.mjs', `export const handler = async () => 'b'\n`)
  const entries = new Map([
    ['a', join(root, 'handlers/a.ts')],
    ['b', join(root, 'handlers/b.mjs')],
  ])
  const opened: Bundles[] = []
  t.after(async () => {
    for (const bundles of opened) await bundles.close()
  })
  return {
    root,
    cacheDir,
    entries,
    write,
    builds: () => builds,
    async bundle(options: BundleOptions = {}): Promise<Bundles> {
      const bundles = await bundleFunctions(entries, { cache: { dir: cacheDir }, esbuildContext: countingContext, ...options })
      opened.push(bundles)
      return bundles
    },
    /** The cache's entries (no run, temp or trash folders). */
    async cacheEntries(): Promise<string[]> {
      return (await readdir(cacheDir)).filter((name) => /^[0-9a-f]{24}-[0-9a-f]{16}$/.test(name))
    },
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out: ${what}`)), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

let loads = 0
async function answer(bundles: Bundles, name = 'a'): Promise<unknown> {
  // A fresh URL each time: the test process's module cache would otherwise answer with the first load.
  const module = (await import(`${pathToFileURL(bundles.functions.get(name)!).href}?load=${loads++}`)) as { handler: () => Promise<unknown> }
  return module.handler()
}

test('a second start with unchanged sources, lockfile and options uses the cached bundles without an esbuild build', async (t) => {
  const p = await project(t)
  const first = await p.bundle()
  assert.deepEqual({ fromCache: first.fromCache, builds: p.builds() }, { fromCache: false, builds: 1 })
  const second = await p.bundle()
  assert.deepEqual({ fromCache: second.fromCache, builds: p.builds() }, { fromCache: true, builds: 1 })
  assert.equal(await answer(second), 'hello')
  assert.equal(await answer(second, 'b'), 'b')
  assert.equal(await readFile(second.runtime, 'utf8'), await readFile(first.runtime, 'utf8'))
  assert.notEqual(dirname(second.runtime), dirname(first.runtime), 'each instance runs from a folder of its own')
  assert.equal((await p.cacheEntries()).length, 1)
})

test('a changed source, lockfile or option is a cache miss', async (t) => {
  const p = await project(t)
  await p.bundle()
  const changes: [string, () => Promise<BundleOptions | void>][] = [
    ['a source', () => p.write('handlers/greeting.ts', greetingSource('bonjour'))],
    ['the lockfile', () => p.write('package-lock.json', '{ "lockfileVersion": 3, "packages": { "": {} } }\n')],
    ['a config file esbuild reads', () => p.write('handlers/tsconfig.json', '{}\n')],
    ['sourceMaps', async () => ({ sourceMaps: true })],
    ['an extra esbuild option', async () => ({ esbuild: { define: { 'process.env.FLAVOUR': '"x"' } } })],
    ['cacheKeyParts', async () => ({ cacheKeyParts: 'plugin@2' })],
  ]
  for (const [what, change] of changes) {
    const options = (await change()) ?? {}
    const before = p.builds()
    const bundles = await p.bundle(options)
    assert.deepEqual({ what, fromCache: bundles.fromCache, builds: p.builds() - before }, { what, fromCache: false, builds: 1 })
    const again = await p.bundle(options)
    assert.deepEqual({ what, fromCache: again.fromCache, builds: p.builds() - before }, { what, fromCache: true, builds: 1 })
  }
  assert.equal(await answer(await p.bundle()), 'bonjour')
})

test('a corrupted or partial cache entry is rebuilt, not trusted', async (t) => {
  const p = await project(t)
  await p.bundle()
  const damages: [string, (entry: string) => Promise<void>][] = [
    ['an edited bundle', async (entry) => writeFile(join(entry, 'a.mjs'), (await readFile(join(entry, 'a.mjs'), 'utf8')).replace('hello', 'HACKED'))],
    ['a truncated bundle', (entry) => truncate(join(entry, 'a.mjs'), 10)],
    ['a missing bundle', (entry) => unlink(join(entry, 'b.mjs'))],
    ['no manifest', (entry) => unlink(join(entry, 'manifest.json'))],
    ['a garbled manifest', (entry) => writeFile(join(entry, 'manifest.json'), '{"version":1,')],
  ]
  for (const [what, damage] of damages) {
    const [entry] = await p.cacheEntries()
    // The entry's files are hard links: damage a copy, as a disk or an editor would, not the live ones.
    for (const name of await readdir(join(p.cacheDir, entry))) {
      const file = join(p.cacheDir, entry, name)
      const bytes = await readFile(file)
      await unlink(file)
      await writeFile(file, bytes)
    }
    await damage(join(p.cacheDir, entry))
    const before = p.builds()
    const bundles = await p.bundle()
    assert.deepEqual({ what, fromCache: bundles.fromCache, builds: p.builds() - before }, { what, fromCache: false, builds: 1 })
    assert.equal(await answer(bundles), 'hello', what)
    assert.equal(await answer(bundles, 'b'), 'b', what)
    assert.equal((await p.bundle()).fromCache, true, `${what}: the rebuilt entry replaced the damaged one`)
    assert.equal((await p.cacheEntries()).length, 1, what)
  }
})

test('rebuild() after a cache hit bundles the current sources, leaving the cache entry as it was', async (t) => {
  const p = await project(t)
  await p.bundle()
  const bundles = await p.bundle()
  assert.equal(bundles.fromCache, true)
  const [entry] = await p.cacheEntries()
  const cached = await readFile(join(p.cacheDir, entry, 'a.mjs'), 'utf8')

  await p.write('handlers/greeting.ts', greetingSource('hola'))
  assert.deepEqual(await bundles.rebuild(), [])
  assert.equal(p.builds(), 2, 'the first rebuild after a hit runs esbuild')
  assert.equal(await answer(bundles), 'hola')
  assert.equal(await readFile(join(p.cacheDir, entry, 'a.mjs'), 'utf8'), cached, 'the shared entry is untouched')

  await p.write('handlers/greeting.ts', 'export const greeting = (\n')
  const errors = await bundles.rebuild()
  assert.equal(errors.length, 1)
  assert.match(errors[0], /handlers\/greeting\.ts:\d+:\d+: /)
  assert.equal(await answer(bundles), 'hola', 'a failed rebuild keeps the last good bundles')
})

test('close() removes the instance\'s own bundles and no cache entry', async (t) => {
  const p = await project(t)
  await (await p.bundle()).close()
  const bundles = await p.bundle()
  await bundles.close()
  assert.deepEqual(await readdir(p.cacheDir).then((names) => names.filter((name) => !/^[0-9a-f]{24}-/.test(name))), [])
  assert.equal((await p.cacheEntries()).length, 1)
  assert.equal((await p.bundle()).fromCache, true)
})

test('parallel starts in separate processes on a cold cache all get working bundles and leave one entry', async (t) => {
  const p = await project(t)
  const child = join(p.root, 'child.mjs')
  const bundler = pathToFileURL(fileURLToPath(new URL('./function-bundler.ts', import.meta.url))).href
  // Each child loads the bundler, says it is ready, and bundles once every child is: the builds overlap.
  await writeFile(
    child,
    `import { once } from 'node:events'
import { pathToFileURL } from 'node:url'
import { bundleFunctions } from '${bundler}'
process.stdout.write('ready\\n')
await once(process.stdin, 'data')
const bundles = await bundleFunctions(new Map(${JSON.stringify([...p.entries])}), { cache: { dir: ${JSON.stringify(p.cacheDir)} } })
const { handler } = await import(pathToFileURL(bundles.functions.get('a')).href)
const answer = await handler()
await bundles.close()
process.stdout.write(JSON.stringify({ answer }))
process.stdin.destroy()
`,
  )
  const children = [0, 1, 2].map(() => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child], { stdio: ['pipe', 'pipe', 'inherit'] })
    let out = ''
    const ready = new Promise<void>((resolve) =>
      proc.stdout.on('data', (chunk: Buffer) => {
        out += chunk
        if (out.startsWith('ready\n')) resolve()
      }),
    )
    const exited = once(proc, 'close').then(([code]) => ({ code: code as number, out: out.replace('ready\n', '') }))
    return { proc, ready, exited }
  })
  t.after(() => {
    for (const { proc } of children) proc.kill()
  })
  await withTimeout(Promise.all(children.map((c) => c.ready)), 20_000, 'children ready')
  for (const { proc } of children) proc.stdin.write('go\n')
  const results = await withTimeout(Promise.all(children.map((c) => c.exited)), 20_000, 'children done')
  assert.deepEqual(results, Array(3).fill({ code: 0, out: '{"answer":"hello"}' }))
  assert.equal((await p.cacheEntries()).length, 1)
  assert.deepEqual((await readdir(p.cacheDir)).filter((name) => !/^[0-9a-f]{24}-/.test(name)), [], 'no temp, run or trash folder left')
  assert.equal((await p.bundle()).fromCache, true)
})

test('parallel starts in one process share the cache too', async (t) => {
  const p = await project(t)
  const all = await Promise.all([p.bundle(), p.bundle(), p.bundle()])
  for (const bundles of all) assert.equal(await answer(bundles), 'hello')
  assert.equal((await p.cacheEntries()).length, 1)
})

test('a build whose inputs were modified just before or while esbuild ran is used but not cached', async (t) => {
  const p = await project(t)
  await writeFile(join(p.root, 'handlers/greeting.ts'), greetingSource('fresh'))
  assert.equal(await answer(await p.bundle()), 'fresh')
  assert.deepEqual(await p.cacheEntries(), [])
  assert.equal((await p.bundle()).fromCache, false)
})

test('the cache keeps the most recently used entries only', async (t) => {
  const p = await project(t)
  for (const flavour of ['1', '2', '3']) await p.bundle({ cache: { dir: p.cacheDir, maxEntries: 2 }, cacheKeyParts: flavour })
  assert.equal((await p.cacheEntries()).length, 2)
  const before = p.builds()
  assert.equal((await p.bundle({ cacheKeyParts: '3' })).fromCache, true)
  assert.equal((await p.bundle({ cacheKeyParts: '1' })).fromCache, false, 'the oldest entry was pruned')
  assert.equal(p.builds() - before, 1)
})

test('by default the cache lives in the project\'s node_modules/.cache; cache: false keeps nothing', async (t) => {
  const p = await project(t)
  await mkdir(join(p.root, 'node_modules'))
  const bundles = await p.bundle({ cache: undefined })
  assert.equal(dirname(dirname(bundles.runtime)), join(p.root, 'node_modules', '.cache', 'dynamowave-emulator'))
  assert.equal((await p.bundle({ cache: undefined })).fromCache, true)
  const uncached = await p.bundle({ cache: false })
  assert.equal(uncached.fromCache, false)
  assert.equal((await p.bundle({ cache: false })).fromCache, false)
  assert.ok(!dirname(uncached.runtime).startsWith(p.root))
})

test('esbuild plugins without cacheKeyParts are refused while caching', async (t) => {
  const p = await project(t)
  const plugin = { name: 'noop', setup() {} }
  await assert.rejects(p.bundle({ esbuild: { plugins: [plugin] } }), { code: 'BUNDLE_CACHE_KEY_MISSING' })
  assert.equal((await p.bundle({ esbuild: { plugins: [plugin] }, cacheKeyParts: 'noop@1' })).fromCache, false)
  assert.equal((await p.bundle({ esbuild: { plugins: [plugin] }, cache: false })).fromCache, false)
})

test('a build error fails the start with BUNDLE_FAILED and the build\'s messages', async (t) => {
  const p = await project(t)
  await p.write('handlers/greeting.ts', 'export const greeting = (\n')
  await assert.rejects(p.bundle(), (error: Error & { code?: string }) => {
    assert.equal(error.code, 'BUNDLE_FAILED')
    assert.match(error.message, /^Bundling the functions failed:\nhandlers\/greeting\.ts:\d+:\d+: /)
    return true
  })
  assert.deepEqual(await readdir(p.cacheDir), [], 'nothing left behind')
})
