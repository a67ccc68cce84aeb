// Small JSON files the local Cognito keeps in the dev data folder: read once at start, replaced
// atomically (write aside, then rename) so a crash never leaves half a file. Owner-only: they hold
// private keys and password hashes.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { dirname } from 'node:path'

export async function readJsonFile(path: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(path, 'utf8'))
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw new Error(`Cannot read ${path}: ${(error as Error).message}`)
  }
}

export async function writeJsonFile(path: string, value: unknown): Promise<void> {
  await mkdir(dirname(path), { recursive: true })
  const aside = `${path}.${process.pid}.tmp`
  await writeFile(aside, JSON.stringify(value, null, 2) + '\n', { mode: 0o600 })
  await rename(aside, path)
}
