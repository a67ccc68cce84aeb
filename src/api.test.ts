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

test('heartbeat and $default are declared with no table, no environment and no @connections access', () => {
  for (const name of ['heartbeat', 'default'] as const) {
    const fn = api.functions[name] as { environment: object; tables?: unknown; manageConnections?: unknown }
    assert.deepEqual(fn.environment, {})
    assert.equal(fn.tables, undefined)
    assert.equal(fn.manageConnections, undefined)
  }
})

test('a function that posts to connections gets the callback URL and can remove a peer found gone', () => {
  for (const [name, fn] of Object.entries(api.functions) as [string, { environment: Record<string, unknown>; tables?: { chat: readonly string[] }; manageConnections?: readonly string[] }][]) {
    const posts = fn.manageConnections?.includes('POST') ?? false
    assert.equal('CALLBACK_URL' in fn.environment, posts, name)
    if (posts) assert.deepEqual(['query', 'write'].filter((a) => !fn.tables!.chat.includes(a)), [], name)
  }
})

test('read-only actions are granted no writes', () => {
  for (const name of ['listrooms', 'history', 'opendirect'] as const) {
    assert.deepEqual(api.functions[name].tables?.chat.filter((access) => access === 'write'), [], name)
  }
})
