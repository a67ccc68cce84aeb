import { test } from 'node:test'
import assert from 'node:assert/strict'
import { authorizerDecision, maxAuthorizerResultBytes, methodArn, parseIdentitySource } from './authorizer-flow.ts'
import type { InvokeOutcome } from '../lambda/function-pool.ts'

const arn = methodArn({ apiId: 'abcdef1234', stage: 'prod' })
const ok = (payload: unknown): InvokeOutcome => ({ kind: 'ok', payload })
const allowAll = { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn }] }

test('spec §6.2: the method ARN names region, account, api, stage and $connect, without a verb', () => {
  assert.equal(arn, 'arn:aws:execute-api:us-east-1:000000000000:abcdef1234/prod/$connect')
})

test('spec §6.9: an Allow passes the context stringified, null kept, plus principalId', () => {
  const decision = authorizerDecision(ok({ principalId: 'p-1', policyDocument: allowAll, context: { userId: 'u-1', tier: 3, admin: false, ratio: 0.5, note: null } }), arn)
  assert.deepEqual(decision, { kind: 'allow', authorizer: { userId: 'u-1', tier: '3', admin: 'false', ratio: '0.5', note: null, principalId: 'p-1' } })
  assert.deepEqual(authorizerDecision(ok({ principalId: 'p-1', policyDocument: allowAll }), arn), { kind: 'allow', authorizer: { principalId: 'p-1' } })
})

test('spec §5.6: the error message exactly "Unauthorized" is 401; any other error, a timeout or a throttle is 500', () => {
  assert.deepEqual(authorizerDecision({ kind: 'error', error: { errorType: 'Error', errorMessage: 'Unauthorized' } }, arn), { kind: 'reject', status: 401, reason: 'Unauthorized' })
  assert.deepEqual(authorizerDecision({ kind: 'error', error: { errorType: 'Error', errorMessage: 'unauthorized' } }, arn), {
    kind: 'reject',
    status: 500,
    reason: 'Error: unauthorized',
  })
  assert.deepEqual(authorizerDecision({ kind: 'timeout' }, arn), { kind: 'reject', status: 500, reason: 'authorizer timeout' })
  assert.deepEqual(authorizerDecision({ kind: 'throttled' }, arn), { kind: 'reject', status: 500, reason: 'authorizer throttled' })
})

test('spec §6.6: a Deny, or an Allow for another ARN, is 403', () => {
  const deny = { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Deny', Resource: arn }] }
  assert.deepEqual(authorizerDecision(ok({ principalId: 'p', policyDocument: deny }), arn), { kind: 'reject', status: 403, reason: 'the policy denies the method ARN' })
  const other = { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: arn.replace('prod', 'dev') }] }
  assert.deepEqual(authorizerDecision(ok({ principalId: 'p', policyDocument: other }), arn), { kind: 'reject', status: 403, reason: 'no statement allows the method ARN' })
})

test('spec §5.6/§6.7/§6.8/§6.10: malformed results are 500 with the reason', () => {
  const cases: [unknown, string][] = [
    [undefined, 'the result is not an object'],
    [{ statusCode: 401 }, 'principalId is missing or not a string'],
    [{ policyDocument: allowAll }, 'principalId is missing or not a string'],
    [{ principalId: 7, policyDocument: allowAll }, 'principalId is missing or not a string'],
    [{ principalId: 'p' }, 'policyDocument must be an object'],
    [{ principalId: 'p', policyDocument: allowAll, context: { user: { id: 1 } } }, 'context.user is an object; only string, number and boolean values are allowed'],
    [{ principalId: 'p', policyDocument: allowAll, context: { roles: ['a'] } }, 'context.roles is an array; only string, number and boolean values are allowed'],
    [{ principalId: 'p', policyDocument: allowAll, context: ['a'] }, 'context must be an object'],
  ]
  for (const [payload, reason] of cases) {
    assert.deepEqual(authorizerDecision(ok(payload), arn), { kind: 'reject', status: 500, reason: `malformed authorizer result: ${reason}` }, JSON.stringify(payload))
  }
})

test('spec §6.8: a result over 8 KB is 500, one just under passes', () => {
  const result = (n: number) => ({ principalId: 'p', policyDocument: allowAll, context: { pad: 'x'.repeat(n) } })
  const overhead = Buffer.byteLength(JSON.stringify(result(0)))
  assert.equal(authorizerDecision(ok(result(maxAuthorizerResultBytes - overhead)), arn).kind, 'allow')
  assert.deepEqual(authorizerDecision(ok(result(maxAuthorizerResultBytes - overhead + 1)), arn), {
    kind: 'reject',
    status: 500,
    reason: `malformed authorizer result: the result is ${maxAuthorizerResultBytes + 1} bytes, over the 8 KB limit`,
  })
})

test('spec §6.3: identity sources use the WebSocket syntax', () => {
  assert.deepEqual(parseIdentitySource('route.request.querystring.token'), { raw: 'route.request.querystring.token', kind: 'querystring', name: 'token' })
  assert.deepEqual(parseIdentitySource('route.request.header.Authorization'), { raw: 'route.request.header.Authorization', kind: 'header', name: 'Authorization' })
  assert.deepEqual(parseIdentitySource('stageVariables.tenant'), { raw: 'stageVariables.tenant', kind: 'stageVariables', name: 'tenant' })
  assert.deepEqual(parseIdentitySource('context.identity.sourceIp'), { raw: 'context.identity.sourceIp', kind: 'context', name: 'identity.sourceIp' })
  assert.throws(() => parseIdentitySource('$request.header.Authorization'), /Unsupported identity source "\$request.header.Authorization"/)
})
