// Reads a synthesized template's Cognito user pool and web client back into the shape of a user-pool
// declaration, in Cognito's own terms (CloudFormation properties), so the parity test can compare the
// deployed pool with src/user-pool.ts value for value, without trusting how CDK maps its props. The
// reading itself is the emulator's (it runs a cloud assembly's pool through the same function).
import assert from 'node:assert/strict'
import { templateUserPool, type DeployedUserPool } from '../emulator/cloud-assembly/template-user-pool.ts'
import type { TemplateJson } from './synth-for-test.ts'
import { resourcesOf } from './template-queries.ts'

export type { DeployedUserPool }

export function deployedUserPool(template: TemplateJson): DeployedUserPool {
  const pools = resourcesOf(template, 'AWS::Cognito::UserPool')
  const clients = resourcesOf(template, 'AWS::Cognito::UserPoolClient')
  assert.equal(pools.length, 1, 'one user pool')
  assert.equal(clients.length, 1, 'one app client')
  const [[poolId, pool]] = pools
  const [[, client]] = clients
  assert.deepEqual(client.UserPoolId, { Ref: poolId }, 'the client belongs to the pool')
  const groups = resourcesOf(template, 'AWS::Cognito::UserPoolGroup').filter(([, group]) => group.UserPoolId?.Ref === poolId)
  return templateUserPool(pool, client, groups.map(([, group]) => group))
}
