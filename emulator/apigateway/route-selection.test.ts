import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileRouteSelector, evaluateExpression, parseExpression } from './route-selection.ts'
import { ForbiddenRoute } from './error-frames.ts'

const body = JSON.stringify({ service: 'chat', action: 'join', data: { room: 'room1234' } })
const evaluate = (expression: string, message = body) => evaluateExpression(parseExpression(expression), message)

test('spec §2.3: the documented evaluation table', () => {
  assert.equal(evaluate('$request.body.action'), 'join')
  assert.equal(evaluate('${request.body.action}'), 'join')
  assert.equal(evaluate('${request.body.service}/${request.body.action}'), 'chat/join')
  assert.equal(evaluate('${request.body.action}-${request.body.invalidPath}'), 'join-')
  assert.equal(evaluate('action'), 'action')
  assert.equal(evaluate('\\$default'), '$default')
})

test('spec §2.2: nested paths select inside objects', () => {
  assert.equal(evaluate('$request.body.data.room'), 'room1234')
})

test('spec §2.4: a path that resolves to nothing evaluates to the empty string', () => {
  assert.equal(evaluate('$request.body.missing.deeper'), '')
})

test('spec §2.5: scalars are stringified and arrays render as "[a, b]"', () => {
  assert.equal(evaluate('$request.body.n', '{"n":1}'), '1')
  assert.equal(evaluate('$request.body.b', '{"b":true}'), 'true')
  assert.equal(evaluate('$request.body.a', '{"a":["item1","item2"]}'), '[item1, item2]')
})

test('spec §2.7: a body that is not JSON cannot be evaluated', () => {
  assert.equal(evaluate('$request.body.action', 'hello'), undefined)
})

test('an unsupported variable is refused when the API is declared, not when a message arrives', () => {
  assert.throws(() => parseExpression('$request.header.x'), /select on \$request\.body/)
  assert.throws(() => parseExpression('${request.body.action'), /Unclosed/)
})

test('spec §2.6: route keys match exactly and case-sensitively; §2.7 anything else goes to $default', () => {
  const selector = compileRouteSelector('$request.body.action', ['$connect', '$default', 'sendmessage'])
  assert.equal(selector.select('{"action":"sendmessage"}'), 'sendmessage')
  assert.equal(selector.select('{"action":"sendMessage"}'), '$default')
  assert.equal(selector.select('{"action":" sendmessage"}'), '$default')
  assert.equal(selector.select('not json'), '$default')
  assert.equal(selector.select('{}'), '$default')
})

test('spec §2.9: a message cannot select $connect or $disconnect', () => {
  const selector = compileRouteSelector('$request.body.action', ['$connect', '$disconnect', '$default'])
  assert.equal(selector.select('{"action":"$connect"}'), '$default')
  assert.equal(selector.select('{"action":"$disconnect"}'), '$default')
})

test('spec §2.8: with no match and no $default the selector answers Forbidden', () => {
  const selector = compileRouteSelector('$request.body.action', ['sendmessage'])
  assert.equal(selector.select('{"action":"nope"}'), ForbiddenRoute)
  assert.equal(selector.select('garbage'), ForbiddenRoute)
  assert.equal(selector.select('{"action":"sendmessage"}'), 'sendmessage')
})
