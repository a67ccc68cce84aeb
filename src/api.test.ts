import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api } from './api.ts'
import { actions } from './protocol.ts'

test('every protocol action has its own two-way route and function, and nothing else is routed', () => {
  const custom = api.routes.filter((r) => !r.routeKey.startsWith('$'))
  assert.deepEqual(custom.map((r) => r.routeKey).sort(), [...actions].sort())
  for (const route of custom) {
    assert.equal(route.function, route.routeKey)
    assert.equal((route as { twoWay?: boolean }).twoWay, true, route.routeKey)
    assert.ok(route.function in api.functions, route.function)
  }
})

test('$default touches nothing; heartbeat touches no table and may only close a connection', () => {
  const fn = (name: 'heartbeat' | 'default') => api.functions[name] as { environment: object; tables?: unknown; manageConnections?: unknown }
  assert.deepEqual(fn('default').environment, {})
  assert.equal(fn('default').tables, undefined)
  assert.equal(fn('default').manageConnections, undefined)
  assert.deepEqual(fn('heartbeat').environment, { CALLBACK_URL: { from: 'callbackUrl' } })
  assert.equal(fn('heartbeat').tables, undefined)
  assert.deepEqual(fn('heartbeat').manageConnections, ['DELETE'])
})

test('a function that posts to connections gets the callback URL and can remove a peer found gone', () => {
  for (const [name, fn] of Object.entries(api.functions) as [string, { environment: Record<string, unknown>; tables?: { chat: readonly string[] }; manageConnections?: readonly string[] }][]) {
    const posts = fn.manageConnections?.includes('POST') ?? false
    if (!posts) continue
    assert.ok('CALLBACK_URL' in fn.environment, name)
    assert.deepEqual(['DeleteItem', 'UpdateItem', 'Query'].filter((a) => !fn.tables!.chat.includes(a)), [], name)
  }
})

test('read-only actions are granted no writes', () => {
  for (const name of ['listrooms', 'listdirects', 'history', 'opendirect'] as const) {
    const access: readonly string[] = api.functions[name].tables?.chat ?? []
    assert.deepEqual(access.filter((a) => !['GetItem', 'Query'].includes(a)), [], name)
  }
})

test('every function reserves concurrency, and together they leave the 100 unreserved Lambda keeps from the default quota of 1,000', () => {
  const reserved = Object.entries(api.functions).map(([name, fn]) => [name, (fn as { reservedConcurrency?: number }).reservedConcurrency] as const)
  assert.deepEqual(reserved.filter(([, n]) => n === undefined || n < 1).map(([name]) => name), [])
  assert.ok(reserved.reduce((sum, [, n]) => sum + (n ?? 0), 0) <= 900)
})
