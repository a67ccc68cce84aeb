// The behaviours spec §2.5 and §2.9 leave unknown (UNK), as this emulator chooses them (documented in
// emulator/README.md). The documented rules are tested in route-selection.test.ts.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { compileRouteSelector, evaluateExpression, parseExpression } from './route-selection.ts'

const evaluate = (expression: string, message: string) => evaluateExpression(parseExpression(expression), message)

test('spec §2.5 (UNK, chosen): null renders as "", an object as its JSON text, numbers as JavaScript prints them', () => {
  assert.equal(evaluate('$request.body.a', '{"a":null}'), '')
  assert.equal(evaluate('$request.body.a', '{"a":{"b":1}}'), '{"b":1}')
  assert.equal(evaluate('$request.body.a', '{"a":1.50}'), '1.5')
  assert.equal(evaluate('$request.body.a', '{"a":1e21}'), '1e+21')
  assert.equal(evaluate('$request.body.a', '{"a":[1,null,"x"]}'), '[1, , x]')
})

test('spec §2.4: a JSON body that is not an object evaluates paths to ""', () => {
  assert.equal(evaluate('$request.body.action', '"just a string"'), '')
  assert.equal(evaluate('$request.body.action', '[{"action":"x"}]'), '')
  assert.equal(evaluate('${request.body.action}!', '42'), '!')
})

test('spec §2.9 (UNK, chosen): a message naming "$default" explicitly goes to $default like any other unmatched one', () => {
  const selector = compileRouteSelector('$request.body.action', ['$default', 'echo'])
  assert.equal(selector.select('{"action":"$default"}'), '$default')
  const strict = compileRouteSelector('$request.body.action', ['echo'])
  assert.equal(typeof strict.select('{"action":"$default"}'), 'symbol', 'no $default route: Forbidden')
})

test('a selector value nested 10,000 deep (found by npm run chaos: it overflowed the stack) matches no route and costs no recursion', () => {
  const selector = compileRouteSelector('$request.body.action', ['$default', 'echo'])
  const deepObject = `{"action":${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}}`
  const deepArray = `{"action":${'['.repeat(10_000)}${']'.repeat(10_000)}}`
  assert.equal(selector.select(deepObject), '$default')
  assert.equal(selector.select(deepArray), '$default')
  // Short nested values still render as before.
  assert.equal(evaluate('$request.body.a', '{"a":{"b":[1,2]}}'), '{"b":[1, 2]}')
})
