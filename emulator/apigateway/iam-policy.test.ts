import { test } from 'node:test'
import assert from 'node:assert/strict'
import { evaluatePolicy, globMatch } from './iam-policy.ts'

const arn = 'arn:aws:execute-api:us-east-1:000000000000:abcdef1234/prod/$connect'
const policy = (...Statement: unknown[]) => ({ Version: '2012-10-17', Statement })
const allow = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({ Effect: 'Allow', Action, Resource })
const deny = (Resource: unknown, Action: unknown = 'execute-api:Invoke') => ({ Effect: 'Deny', Action, Resource })

test('spec §6.6: * spans any characters including / and :, ? is exactly one', () => {
  const cases: [string, string, boolean][] = [
    ['*', arn, true],
    ['arn:aws:execute-api:*:*:*', arn, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abcdef1234/prod/*', arn, true],
    // '*/*' needs one more segment than '$connect' has.
    ['arn:aws:execute-api:us-east-1:000000000000:abcdef1234/prod/*/*', arn, false],
    ['arn:aws:execute-api:us-east-1:000000000000:abcdef123?/prod/$connect', arn, true],
    ['arn:aws:execute-api:us-east-1:000000000000:abcdef123?/prod/$connec', arn, false],
    ['arn:aws:execute-api:us-east-1:000000000000:abcdef1234/prod/$CONNECT', arn, false],
    ['a*b*c', 'axxbyyc', true],
    ['a*b*c', 'axxbyy', false],
    ['', '', true],
    ['?', '', false],
  ]
  for (const [pattern, value, expected] of cases) assert.equal(globMatch(pattern, value), expected, `${pattern} vs ${value}`)
})

test('a hostile pattern is matched in bounded time', () => {
  assert.equal(globMatch('*a*a*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(5000)), false)
})

test('spec §6.6: an Allow for the method ARN allows, as a string or in a list, with a single statement object too', () => {
  assert.deepEqual(evaluatePolicy(policy(allow(arn)), arn), { kind: 'allow' })
  assert.deepEqual(evaluatePolicy(policy(allow(['arn:aws:execute-api:*:*:other/*', arn])), arn), { kind: 'allow' })
  assert.deepEqual(evaluatePolicy({ Version: '2012-10-17', Statement: allow(arn) }, arn), { kind: 'allow' })
})

test('spec §6.6: the action may be a wildcard, in any case', () => {
  for (const action of ['*', 'execute-api:*', 'EXECUTE-API:invoke', ['s3:GetObject', 'execute-api:Inv*']]) {
    assert.deepEqual(evaluatePolicy(policy(allow(arn, action)), arn), { kind: 'allow' }, JSON.stringify(action))
  }
  assert.deepEqual(evaluatePolicy(policy(allow(arn, 'execute-api:ManageConnections')), arn), { kind: 'deny', explicit: false })
})

test('spec §6.6: a matching Deny wins over any Allow; no matching Allow is an implicit deny', () => {
  assert.deepEqual(evaluatePolicy(policy(allow('*'), deny(arn)), arn), { kind: 'deny', explicit: true })
  assert.deepEqual(evaluatePolicy(policy(deny('arn:aws:execute-api:*:*:*/prod/*'), allow(arn)), arn), { kind: 'deny', explicit: true })
  assert.deepEqual(evaluatePolicy(policy(allow('arn:aws:execute-api:us-east-1:000000000000:other12345/prod/$connect')), arn), { kind: 'deny', explicit: false })
  assert.deepEqual(evaluatePolicy(policy(), arn), { kind: 'deny', explicit: false })
})

test('a policy that is not an IAM policy is malformed, saying why', () => {
  const cases: [unknown, string][] = [
    [undefined, 'policyDocument must be an object'],
    [{ Statement: 'Allow' }, 'policyDocument.Statement must be a statement or a list of statements'],
    [policy('x'), 'Statement[0] must be an object'],
    [policy({ Effect: 'allow', Action: '*', Resource: '*' }), 'Statement[0].Effect must be "Allow" or "Deny"'],
    [policy({ Effect: 'Allow', Resource: '*' }), 'Statement[0].Action must be a string or a list of strings'],
    [policy({ Effect: 'Allow', Action: '*', Resource: [] }), 'Statement[0].Resource must be a string or a list of strings'],
    [policy({ Effect: 'Allow', Action: '*', Resource: [1] }), 'Statement[0].Resource must be a string or a list of strings'],
  ]
  for (const [document, reason] of cases) assert.deepEqual(evaluatePolicy(document, arn), { kind: 'malformed', reason })
})
