// The public suite reaches the chat through its public surfaces only: following every static import
// from the files here (type-only imports are erased and run nothing), no module of emulator/ and no
// helper that starts or inspects an emulator (e2e/chat-emulator.ts) is ever loaded. The in-process
// targets live in in-process-target.ts, which only target.ts's dynamic import() loads, when chosen.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, readdirSync } from 'node:fs'
import { dirname, relative, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = dirname(fileURLToPath(import.meta.url))
const root = resolve(here, '../..')
const starters = new Set([resolve(here, 'in-process-target.ts')])
const forbidden = (file: string) => file.startsWith(resolve(root, 'emulator') + '/') || file === resolve(root, 'e2e/chat-emulator.ts') || starters.has(file)

/** The local modules a file imports at run time (`import … from`, `export … from`, `import '…'`), not `import type`. */
export function staticImports(source: string): string[] {
  const found: string[] = []
  for (const m of source.matchAll(/^\s*(?:import|export)\s+(?!type\b)(?:[^'";]*?\sfrom\s+)?['"](\.{1,2}\/[^'"]+)['"]/gm)) found.push(m[1])
  return found
}

test('no public test reaches the emulator’s insides through its imports', () => {
  const entries = readdirSync(here).filter((f) => f.endsWith('.ts') && !starters.has(resolve(here, f))).map((f) => resolve(here, f))
  assert.ok(entries.some((f) => f.endsWith('.test.ts')), 'the public suite has tests')
  const seen = new Map<string, string>()
  const queue = entries.map((file) => [file, relative(root, file)] as const)
  while (queue.length > 0) {
    const [file, path] = queue.shift()!
    if (seen.has(file)) continue
    seen.set(file, path)
    assert.ok(!forbidden(file), `${path} is reached by the public suite`)
    for (const spec of staticImports(readFileSync(file, 'utf8'))) {
      const target = resolve(dirname(file), spec)
      queue.push([target, `${path} → ${relative(root, target)}`])
    }
  }
  assert.ok(seen.size > entries.length, 'the walk followed imports')
})

test('the import walk sees what it must: runtime imports, re-exports and side-effect imports, not type-only ones', () => {
  assert.deepEqual(
    staticImports(`import { a } from './a.ts'\nimport type { B } from '../b.ts'\nexport { c } from './c.ts'\nimport './d.ts'\nimport {\n  e,\n} from '../e.ts'\nimport x from 'node:fs'`),
    ['./a.ts', './c.ts', './d.ts', '../e.ts'],
  )
})
