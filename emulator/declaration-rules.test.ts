import { test } from 'node:test'
import assert from 'node:assert/strict'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { api as chatApi } from '../src/api.ts'
import { checkDeclaration } from './declaration-rules.ts'

const fn = { entry: 'x.ts', memoryMb: 128, timeoutSeconds: 3, environment: {} }
const base: ApiDeclaration = {
  name: 'rules',
  routeSelectionExpression: '$request.body.action',
  routes: [
    { routeKey: '$connect', function: 'f' },
    { routeKey: 'send', function: 'f' },
  ],
  functions: { f: fn },
  throttle: { rateLimit: 10, burstLimit: 5 },
}

test('the chat\'s own declaration and a minimal one pass', () => {
  checkDeclaration(chatApi, 'prod')
  checkDeclaration(base, 'dev_1-a')
})

test('spec §2.1: only $connect, $disconnect and $default may start with "$"', () => {
  assert.throws(() => checkDeclaration({ ...base, routes: [...base.routes, { routeKey: '$send', function: 'f' }] }, 'prod'), /route key \$send: only \$connect, \$disconnect and \$default/)
})

test('spec §9: stage names are 1–128 letters, digits, "-" or "_"', () => {
  for (const stage of ['', 'my stage', 'a/b', 'x'.repeat(129)]) assert.throws(() => checkDeclaration(base, stage), /stage name/)
})

test('spec §2.2: a route selection expression on anything but the body is refused', () => {
  assert.throws(() => checkDeclaration({ ...base, routeSelectionExpression: '$request.header.x' }, 'prod'), /select on \$request\.body/)
})

test('every problem is named at once: duplicate keys, undeclared functions, Lambda settings out of range', () => {
  const broken: ApiDeclaration = {
    ...base,
    routes: [...base.routes, { routeKey: 'send', function: 'g' }],
    functions: { f: { ...fn, handler: 'index.handler', timeoutSeconds: 901, memoryMb: 64 } },
  }
  assert.throws(
    () => checkDeclaration(broken, 'prod'),
    (error: Error) => {
      assert.deepEqual(error.message.split('\n').slice(1), [
        '  - route key send is declared twice',
        '  - route send names undeclared function g',
        '  - function f: handler "index.handler" must be the name of an export',
        '  - function f: timeoutSeconds must be a whole number from 1 to 900',
        '  - function f: memoryMb must be a whole number from 128 to 10240',
      ])
      return true
    },
  )
})
