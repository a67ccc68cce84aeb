import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { concurrencyPlan } from './concurrency-plan.ts'
import { hotPathFunctions } from '../src/provisioned-concurrency.ts'
import { StackConfigError } from './stack-config.ts'

const fn = (extra: object = {}) => ({ entry: 'src/handlers/x.ts', memoryMb: 128, timeoutSeconds: 3, environment: {}, ...extra })

const declaration: ApiDeclaration = {
  name: 'test',
  routeSelectionExpression: '$request.body.action',
  routes: [
    { routeKey: '$connect', function: 'connect' },
    { routeKey: 'send', function: 'send' },
  ],
  authorizer: { function: 'auth', identitySource: ['route.request.querystring.token'] },
  functions: { connect: fn({ hotPath: true }), send: fn({ hotPath: true, reservedConcurrency: 30 }), auth: fn(), cold: fn({ reservedConcurrency: 5 }) },
  throttle: { rateLimit: 1, burstLimit: 1 },
}

const plan = (reservedConcurrency: boolean | Record<string, number>, provisionedConcurrency: number | Record<string, number>) =>
  Object.fromEntries(concurrencyPlan(declaration, { reservedConcurrency, provisionedConcurrency }))

test('the hot path is every hotPath function plus the authorizer', () => {
  assert.deepEqual([...hotPathFunctions(declaration)].sort(), ['auth', 'connect', 'send'])
})

test('by default no function gets reserved or provisioned concurrency, whatever the declaration says', () => {
  assert.deepEqual(plan(false, 0), { connect: {}, send: {}, auth: {}, cold: {} })
})

test('reserved concurrency switched on uses the declared values; a map overrides them per function', () => {
  assert.deepEqual(plan(true, 0), { connect: {}, send: { reserved: 30 }, auth: {}, cold: { reserved: 5 } })
  assert.deepEqual(plan({ connect: 8, send: 40 }, 0), { connect: { reserved: 8 }, send: { reserved: 40 }, auth: {}, cold: { reserved: 5 } })
})

test('a provisioned concurrency number goes to the hot path only; a map goes where it says', () => {
  assert.deepEqual(plan(false, 3), { connect: { provisioned: 3 }, send: { provisioned: 3 }, auth: { provisioned: 3 }, cold: {} })
  assert.deepEqual(plan(false, { cold: 1, send: 0 }), { connect: {}, send: {}, auth: {}, cold: { provisioned: 1 } })
})

test('provisioned concurrency above a function’s reserved concurrency is refused', () => {
  assert.throws(() => plan({ connect: 2 }, 3), (error: unknown) => {
    assert.ok(error instanceof StackConfigError)
    assert.equal(error.message, 'Function connect: provisioned concurrency 3 exceeds its reserved concurrency 2; Lambda rejects that')
    return true
  })
})

test('a map naming an undeclared function is refused', () => {
  assert.throws(() => plan({ sendmessage: 2 }, 0), {
    name: 'Error',
    message: 'Context chat:reservedConcurrency names sendmessage, which src/api.ts does not declare (functions: connect, send, auth, cold)',
  })
  assert.throws(() => plan(false, { nope: 1 }), /chat:provisionedConcurrency names nope/)
})
