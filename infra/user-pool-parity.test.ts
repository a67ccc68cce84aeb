// Parity: the Cognito user pool and web client the stack deploys are the declared ones. The template is
// read back into a declaration (deployed-user-pool.ts) and compared whole with src/user-pool.ts and with
// a fixture that differs in every setting; the local Cognito enforces the same declarations
// (e2e/cognito-user-pool.test.ts), so a rule cannot hold offline and not on AWS.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { userPool } from '../src/user-pool.ts'
import { deployedUserPool } from './deployed-user-pool.ts'
import { otherUserPool } from './fixtures/other-user-pool.ts'
import { synthChatStack, type Synthesized } from './synth-for-test.ts'
import { resourcesOf } from './template-queries.ts'

/** Order of required attributes is not a setting. */
const comparable = (pool: Omit<UserPoolDeclaration, 'signInAliases'> & { signInAliases: object }) => ({
  ...pool,
  requiredAttributes: [...pool.requiredAttributes].sort(),
})

const cases: readonly [string, UserPoolDeclaration][] = [
  ['src/user-pool.ts', userPool],
  ['a pool unlike the chat’s in every setting', otherUserPool],
]

for (const [label, declaration] of cases) {
  describe(`user pool parity with ${label}`, () => {
    let synth: Synthesized
    before(() => {
      synth = synthChatStack({ bundling: false, userPool: declaration })
    })
    after(() => synth?.dispose())

    test('the deployed pool and web client are exactly the declared ones', () => {
      assert.deepEqual(comparable(deployedUserPool(synth.json)), comparable(declaration))
    })

    test('the web client is public and allows exactly the declared sign-in flows', () => {
      const [[, client]] = resourcesOf(synth.json, 'AWS::Cognito::UserPoolClient')
      assert.equal(client.GenerateSecret, false)
      assert.deepEqual([...client.ExplicitAuthFlows].sort(), declaration.client.authFlows!.map((flow) => `ALLOW_${flow}`).sort())
    })

    test('has no unacknowledged cdk-nag finding', () => {
      assert.deepEqual(synth.nagFindings, [])
    })
  })
}

describe('a deployment may override the declared MFA mode (chat:mfa)', () => {
  let synth: Synthesized
  before(() => {
    synth = synthChatStack({ bundling: false, context: { 'chat:mfa': 'OFF' } })
  })
  after(() => synth?.dispose())

  test('chat:mfa replaces the declared mode and nothing else', () => {
    assert.equal(userPool.mfa, 'OPTIONAL')
    assert.deepEqual(comparable(deployedUserPool(synth.json)), comparable({ ...userPool, mfa: 'OFF' }))
    const [[, pool]] = resourcesOf(synth.json, 'AWS::Cognito::UserPool')
    assert.equal(pool.EnabledMfas, undefined)
  })
})
