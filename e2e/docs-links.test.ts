// The front door is true in a clone: every relative link in the project's markdown resolves to a
// file of the repository (and its #anchor to a heading there), and nothing points outside it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { dirname, join, relative, resolve } from 'node:path'
import { projectRoot } from './chat-emulator.ts'

const tracked = execFileSync('git', ['ls-files', '*.md'], { cwd: projectRoot, encoding: 'utf8' }).split('\n').filter(Boolean)

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
const slug = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[`*_]/g, '')
    .replace(/[^\p{L}\p{N} -]/gu, '')
    .replace(/ /g, '-')

function anchors(file: string): Set<string> {
  const seen = new Map<string, number>()
  const out = new Set<string>()
  for (const [, heading] of readFileSync(file, 'utf8').matchAll(/^#{1,6} (.+)$/gm)) {
    const base = slug(heading!)
    const n = seen.get(base) ?? 0
    seen.set(base, n + 1)
    out.add(n === 0 ? base : `${base}-${n}`)
  }
  return out
}

test('every relative link in the markdown resolves inside the repository, anchors included', () => {
  assert.ok(tracked.includes('README.md'))
  const broken: string[] = []
  for (const file of tracked) {
    const text = readFileSync(join(projectRoot, file), 'utf8').replace(/```[\s\S]*?```/g, '')
    for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
      if (/^[a-z]+:/i.test(target!)) continue
      const [path, anchor] = target!.split('#')
      const at = path ? resolve(projectRoot, dirname(file), path) : join(projectRoot, file)
      if (relative(projectRoot, at).startsWith('..')) broken.push(`${file}: ${target} leaves the repository`)
      else if (!existsSync(at)) broken.push(`${file}: ${target} does not exist`)
      else if (anchor && at.endsWith('.md') && !anchors(at).has(anchor)) broken.push(`${file}: ${target} has no such heading`)
    }
    if (/\.\.\/shared\//.test(text)) broken.push(`${file}: names a file outside the repository (../shared/)`)
  }
  assert.deepEqual(broken, [])
})
