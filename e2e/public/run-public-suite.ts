// `npm run test:stage -- outputs.json [stack]`: the public end-to-end suite (e2e/public/*.test.ts)
// against a deployed stage. Also `-- --target <spec>` for any E2E_TARGET (target.ts).
import { spawn } from 'node:child_process'
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const here = fileURLToPath(new URL('.', import.meta.url))
const args = process.argv.slice(2)
const spec = args[0] === '--target' ? args[1] : args[0] ? `stage:${args[0]}${args[1] ? `#${args[1]}` : ''}` : undefined
if (!spec) {
  console.error('usage: npm run test:stage -- <outputs.json> [stack]   (the file `cdk deploy --outputs-file outputs.json` writes)')
  process.exit(2)
}
const files = readdirSync(here).filter((f) => f.endsWith('.test.ts')).sort().map((f) => join(here, f))
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', ...files], {
  stdio: 'inherit',
  env: { ...process.env, E2E_TARGET: spec, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
})
child.once('exit', (code) => process.exit(code ?? 1))
