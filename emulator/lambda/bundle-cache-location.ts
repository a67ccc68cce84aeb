// Where the bundle cache lives, and what vouches for node_modules: the project is the nearest folder
// above the entries with a package.json or package-lock.json, its cache is where build tools keep
// theirs (node_modules/.cache), and the lockfile stands for everything installed.
import { stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join, parse } from 'node:path'

const lockfileNames = ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml', 'bun.lock']

/** The folder of the nearest package.json or package-lock.json above the files (absolute paths), if any. */
export async function findProjectRoot(files: Iterable<string>): Promise<string | undefined> {
  const folders = [...files].map((file) => [...ancestors(dirname(file))].reverse())
  // The deepest folder that holds them all.
  const shared = folders.reduce((common, chain) => common.filter((folder, i) => chain[i] === folder))
  for (const candidate of ancestors(shared.at(-1)!)) {
    if ((await exists(join(candidate, 'package.json'))) || (await exists(join(candidate, 'package-lock.json')))) return candidate
  }
  return undefined
}

/** `<project>/node_modules/.cache/dynamowave-emulator`; the system's temp folder for a project without node_modules (nothing is created in a project that has none). */
export async function defaultCacheDir(project: string | undefined): Promise<string> {
  if (project && (await exists(join(project, 'node_modules')))) return join(project, 'node_modules', '.cache', 'dynamowave-emulator')
  return join(tmpdir(), 'dynamowave-emulator-cache')
}

/** The nearest lockfile at or above the project, and npm's record of what it installed. */
export async function findLockfiles(project: string | undefined): Promise<string[]> {
  if (!project) return []
  for (const candidate of ancestors(project)) {
    for (const name of lockfileNames) {
      if (!(await exists(join(candidate, name)))) continue
      const installed = join(candidate, 'node_modules', '.package-lock.json')
      return [join(candidate, name), ...((await exists(installed)) ? [installed] : [])]
    }
  }
  return []
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}

/** `dir`, its parent, and so on up to the root. */
export function* ancestors(dir: string): Generator<string> {
  const { root } = parse(dir)
  for (let current = dir; ; current = dirname(current)) {
    yield current
    if (current === root) return
  }
}
