// Parity: what the stack deploys is what the emulator runs. For every route of a declaration, the
// synthesized template must route it, through the function's alias, to a function bundled from the
// declared entry file, with exactly the environment variable names the emulator gives that function.
// Runs on the real src/api.ts and on a fixture that adds an authorizer and a new route.
import assert from 'node:assert/strict'
import { resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, before, describe, test } from 'node:test'
import { Worker } from 'node:worker_threads'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { api } from '../src/api.ts'
import { resolveEnvValue, type EnvValues } from '../emulator/lambda/functions.ts'
import { aliasName, functionRuntime } from './declared-function.ts'
import { deployedRoutes, type DeployedFunction, type DeployedRoute } from './deployed-routes.ts'
import { apiWithAuthorizer } from './fixtures/api-with-authorizer.ts'
import { projectRoot, synthChatStack, type Synthesized, type TemplateJson } from './synth-for-test.ts'

/** Values the emulator would resolve the declaration with (loopback only; nothing listens there). */
const emulatorValues: EnvValues = {
  callbackUrl: 'http://127.0.0.1:9/prod',
  dynamoEndpoint: 'http://127.0.0.1:9',
  userPoolIssuer: 'http://127.0.0.1:9/local-user-pool',
  userPoolClientId: 'local-web-client',
  userPoolId: 'us-east-1_local',
}

/** The environment the emulator gives a function: its declared variables (plus Lambda's reserved ones). */
function emulatorEnvironment(declaration: ApiDeclaration, functionName: string): Record<string, string> {
  const fn = declaration.functions[functionName]
  return Object.fromEntries(Object.entries(fn.environment).map(([key, source]) => [key, resolveEnvValue(source, emulatorValues, key)]))
}

function onlyResource(template: TemplateJson, type: string): string {
  const ids = Object.entries(template.Resources).filter(([, r]) => r.Type === type).map(([id]) => id)
  assert.equal(ids.length, 1, `expected one ${type}, found ${ids.length}`)
  return ids[0]
}

/** What each kind of declared source must become in this template. */
function expectedValue(template: TemplateJson, source: ApiDeclaration['functions'][string]['environment'][string], stage: string): unknown {
  switch (source.from) {
    case 'tableName':
      return { Ref: onlyResource(template, 'AWS::DynamoDB::Table') }
    case 'callbackUrl':
      return {
        'Fn::Join': ['', ['https://', { Ref: onlyResource(template, 'AWS::ApiGatewayV2::Api') }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, `/${stage}`]],
      }
    case 'userPoolIssuer':
      return { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [onlyResource(template, 'AWS::Cognito::UserPool'), 'ProviderName'] }]] }
    case 'userPoolClientId':
      return { Ref: onlyResource(template, 'AWS::Cognito::UserPoolClient') }
    case 'userPoolId':
      return { Ref: onlyResource(template, 'AWS::Cognito::UserPool') }
    case 'value':
      return source.value
  }
}

/** Imports a bundle in its own thread, with the environment the emulator would give it. */
function loadBundle(file: string, exportName: string, environment: Record<string, string>): Promise<string> {
  const worker = new Worker('import(process.env.BUNDLE_URL).then((m) => require("node:worker_threads").parentPort.postMessage(typeof m[process.env.EXPORT_NAME]))', {
    eval: true,
    env: { ...environment, AWS_REGION: 'us-east-1', BUNDLE_URL: pathToFileURL(file).href, EXPORT_NAME: exportName },
    stdout: true,
    stderr: true,
  })
  let timer: NodeJS.Timeout | undefined
  return new Promise<string>((resolvePromise, reject) => {
    timer = setTimeout(() => reject(new Error(`loading ${file} took over 10 s`)), 10_000)
    worker.once('message', (kind: string) => resolvePromise(kind))
    worker.once('error', reject)
    worker.once('exit', (code) => reject(new Error(`worker exited with ${code} before answering`)))
  }).finally(() => {
    clearTimeout(timer)
    void worker.terminate()
  })
}

const cases: readonly [string, ApiDeclaration][] = [
  ['src/api.ts', api],
  ['a declaration with an authorizer and a new route', apiWithAuthorizer],
]

for (const [label, declaration] of cases) {
  describe(`deploy parity with ${label}`, () => {
    let synth: Synthesized
    let routes: Map<string, DeployedRoute>
    before(() => {
      synth = synthChatStack({ api: declaration })
      routes = deployedRoutes(synth.json, synth.assemblyDir)
    })
    after(() => synth?.dispose())

    const functionOf = (routeKey: string): DeployedFunction => {
      const route = routes.get(routeKey)
      assert.ok(route, `route ${routeKey} is declared but not deployed`)
      return route.function
    }
    /** Every declared function as deployed: the route targets plus the authorizer. */
    const deployedFunctions = (): Map<string, DeployedFunction> => {
      const byName = new Map<string, DeployedFunction>()
      for (const route of declaration.routes) byName.set(route.function, functionOf(route.routeKey))
      const authorizer = declaration.authorizer && routes.get('$connect')?.authorizer
      if (declaration.authorizer) {
        assert.ok(authorizer, 'the declared authorizer is not deployed on $connect')
        byName.set(declaration.authorizer.function, authorizer.function)
      }
      return byName
    }

    test('deploys exactly the declared route keys', () => {
      assert.deepEqual([...routes.keys()].sort(), declaration.routes.map((route) => route.routeKey).sort())
    })

    test('every route invokes, through the live alias, a function bundled from its declared entry', () => {
      const entries = new Set(Object.values(declaration.functions).map((fn) => resolve(projectRoot, fn.entry)))
      for (const [name, fn] of deployedFunctions()) {
        const entry = resolve(projectRoot, declaration.functions[name].entry)
        assert.equal(fn.aliasName, aliasName, `${name} is not invoked through its alias`)
        assert.equal(fn.runtime, functionRuntime.name)
        assert.deepEqual(fn.architectures, ['arm64'])
        assert.ok(fn.bundleSources.includes(entry), `${name}'s bundle was not built from ${entry}`)
        const otherEntries = fn.bundleSources.filter((source) => entries.has(source) && source !== entry)
        assert.deepEqual(otherEntries, [], `${name}'s bundle also contains other handlers`)
      }
    })

    test('no two routes share a function unless the declaration says so', () => {
      for (const route of declaration.routes) {
        for (const other of declaration.routes) {
          const same = functionOf(route.routeKey).logicalId === functionOf(other.routeKey).logicalId
          assert.equal(same, route.function === other.function, `${route.routeKey} / ${other.routeKey}`)
        }
      }
    })

    test('every function gets exactly the environment variable names the emulator gives it, with this stack’s values', () => {
      assert.deepEqual([...deployedFunctions().keys()].sort(), Object.keys(declaration.functions).sort(), 'every declared function is deployed')
      for (const [name, fn] of deployedFunctions()) {
        // NODE_OPTIONS is the runtime's setting, not the handler's: it switches on the shipped source
        // maps (the emulator does the same with --source-maps).
        const { NODE_OPTIONS, ...declared } = fn.environment
        assert.equal(NODE_OPTIONS, '--enable-source-maps', `${name} applies its source maps`)
        assert.deepEqual(Object.keys(declared).sort(), Object.keys(emulatorEnvironment(declaration, name)).sort(), `${name}'s variable names`)
        for (const [key, source] of Object.entries(declaration.functions[name].environment)) {
          assert.deepEqual(fn.environment[key], expectedValue(synth.json, source, synth.config.stage), `${name}.${key}`)
        }
      }
    })

    test('two-way routes, and only those, send the handler’s response back', () => {
      for (const route of declaration.routes) assert.equal(routes.get(route.routeKey)?.twoWay, route.twoWay === true, route.routeKey)
    })

    test('the declared authorizer guards $connect with its identity source, and no other route has one', () => {
      for (const route of routes.values()) {
        const guarded = route.routeKey === '$connect' && declaration.authorizer !== undefined
        assert.equal(route.authorizationType, guarded ? 'CUSTOM' : 'NONE', route.routeKey)
        assert.equal(route.authorizer !== undefined, guarded, route.routeKey)
      }
      if (declaration.authorizer) assert.deepEqual(routes.get('$connect')?.authorizer?.identitySource, declaration.authorizer.identitySource)
    })

    test('every bundle loads on Node with the emulator’s environment and exports the handler Lambda calls', async () => {
      for (const [name, fn] of deployedFunctions()) {
        const exportName = declaration.functions[name].handler ?? 'handler'
        assert.equal(fn.handler, `index.${exportName}`, `${name}'s Handler`)
        assert.ok(fn.bundleFile, `${name} was not bundled`)
        assert.equal(await loadBundle(fn.bundleFile, exportName, emulatorEnvironment(declaration, name)), 'function', name)
      }
    })
  })
}
