// A declaration the stack cannot build fails at synth time with a message naming the problem.
import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { api } from '../src/api.ts'
import { DeclarationError } from './declaration-error.ts'
import { synthChatStack } from './synth-for-test.ts'

function refused(declaration: ApiDeclaration, message: string): void {
  assert.throws(() => synthChatStack({ api: declaration, bundling: false }), (error: unknown) => {
    assert.ok(error instanceof DeclarationError, String(error))
    assert.equal(error.code, 'DECLARATION')
    assert.equal(error.message, message)
    return true
  })
}

test('a route naming an undeclared function is refused', () => {
  refused({ ...api, routes: [...api.routes, { routeKey: 'join', function: 'join' }] }, "Route join names function 'join', which src/api.ts does not declare")
})

test('an environment variable naming an undeclared table is refused', () => {
  const functions = { ...api.functions, default: { ...api.functions.default, environment: { ROOMS: { from: 'tableName', table: 'rooms' } } } } as const
  refused({ ...api, functions }, "Function default: ROOMS names table 'rooms', which src/tables.ts does not declare")
})

test('table access to an undeclared table is refused', () => {
  const functions = { ...api.functions, default: { ...api.functions.default, tables: { rooms: ['GetItem'] } } } as const
  refused({ ...api, functions }, "Function default accesses table 'rooms', which src/tables.ts does not declare")
})

test('an authorizer without a $connect route is refused', () => {
  refused(
    { ...api, authorizer: { function: 'default', identitySource: [] }, routes: api.routes.filter((r) => r.routeKey !== '$connect') },
    'The authorizer needs a $connect route: API Gateway authorizes WebSocket connections only on $connect',
  )
})
