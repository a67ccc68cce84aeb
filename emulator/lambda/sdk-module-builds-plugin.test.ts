import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'
import { bundleFunctions } from './function-bundler.ts'
import { sdkModuleBuildsPlugin } from './sdk-module-builds-plugin.ts'

const projectRoot = fileURLToPath(new URL('../..', import.meta.url))

async function inputsOf(contents: string, resolveDir: string): Promise<string[]> {
  const result = await build({
    stdin: { contents, resolveDir, loader: 'js' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    write: false,
    metafile: true,
    logLevel: 'silent',
    plugins: [sdkModuleBuildsPlugin],
  })
  // What reached the bundle: tree-shaken modules are read (metafile inputs) but contribute no bytes.
  return Object.values(result.metafile.outputs).flatMap((output) => Object.entries(output.inputs).filter(([, input]) => input.bytesInOutput > 0).map(([path]) => path))
}

test('the SDK is bundled from its ES module build: a client brings only the commands the handler imports', async () => {
  const inputs = await inputsOf(`import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb'; export { DynamoDBClient, PutItemCommand }`, projectRoot)
  const client = inputs.filter((path) => path.includes('@aws-sdk/client-dynamodb/') && path.endsWith('.js'))
  assert.ok(client.length > 0 && client.every((path) => path.includes('/dist-es/')), `client-dynamodb from dist-es only: ${client.join(', ')}`)
  assert.ok(client.some((path) => path.endsWith('commands/PutItemCommand.js')))
  assert.ok(!client.some((path) => path.endsWith('commands/ScanCommand.js')), 'a command the handler never imports is left out')
})

test('packages outside the SDK resolve as esbuild resolves them (their `main`), an SDK-scoped one by its `module`', async (t) => {
  const dir = await mkdtemp(join(tmpdir(), 'sdk-module-builds-'))
  t.after(() => rm(dir, { recursive: true, force: true }))
  // Laid out as the SDK's packages are: dist-cjs (`main`) and dist-es (`module`).
  const fakePackage = async (name: string) => {
    const at = join(dir, 'node_modules', name)
    await mkdir(join(at, 'dist-cjs'), { recursive: true })
    await mkdir(join(at, 'dist-es'), { recursive: true })
    await writeFile(join(at, 'package.json'), JSON.stringify({ name, main: './dist-cjs/index.js', module: './dist-es/index.js' }))
    await writeFile(join(at, 'dist-cjs', 'index.js'), 'exports.kind = "main"')
    await writeFile(join(at, 'dist-es', 'index.js'), 'export const kind = "module"')
  }
  await fakePackage('browserish')
  await fakePackage('@smithy/fake')
  const inputs = await inputsOf(`import { kind as a } from 'browserish'; import { kind as b } from '@smithy/fake'; export { a, b }`, dir)
  assert.ok(inputs.some((path) => path.endsWith('browserish/dist-cjs/index.js')), inputs.join(', '))
  assert.ok(!inputs.some((path) => path.endsWith('browserish/dist-es/index.js')))
  assert.ok(inputs.some((path) => path.endsWith('@smithy/fake/dist-es/index.js')), inputs.join(', '))
})

test("the emulator's bundles use it: the AWS sample's $connect bundle holds none of the client's other commands", async (t) => {
  const handler = join(projectRoot, 'e2e', 'fixtures', 'standalone', 'onconnect.mjs')
  const bundles = await bundleFunctions(new Map([['onconnect', handler]]), { cache: false })
  t.after(() => bundles.close())
  const code = await readFile(bundles.functions.get('onconnect')!, 'utf8')
  assert.match(code, /PutItemCommand/)
  assert.doesNotMatch(code, /ListBackupsCommand/)
})
