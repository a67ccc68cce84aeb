// A command-line value given as JSON, or as `<file>#<key>`: that key of a CDK context file (e.g.
// `cdk.json#chat:provisionedConcurrency`), so the emulator runs with the setting the stack deploys.
import { readFile } from 'node:fs/promises'

/** `missing`: what a context key that is not there means; without it, that is an error. */
export async function jsonOrContext(value: string, flag: string, missing?: unknown): Promise<unknown> {
  const hash = value.indexOf('#')
  if (hash > 0 && !value.trimStart().startsWith('{')) {
    const [file, key] = [value.slice(0, hash), value.slice(hash + 1)]
    const context = (JSON.parse(await readFile(file, 'utf8')) as { context?: Record<string, unknown> }).context ?? {}
    if (context[key] === undefined) {
      if (missing !== undefined) return missing
      throw new Error(`${flag}: ${file} has no context key ${key}`)
    }
    // CDK context values given on the command line are strings holding JSON; cdk.json holds JSON itself.
    return typeof context[key] === 'string' ? JSON.parse(context[key]) : context[key]
  }
  try {
    return JSON.parse(value)
  } catch {
    throw new Error(`${flag} must be JSON or <file>#<key>, got ${value}`)
  }
}
