// The stack under other settings and a richer declaration: on-demand billing, a non-production stage,
// a customer managed key, concurrency switched on, and an authorizer. Template only (no bundling).
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Match } from 'aws-cdk-lib/assertions'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { api } from '../src/api.ts'
import { hotPathFunctions } from '../src/provisioned-concurrency.ts'
import { apiWithAuthorizer } from './fixtures/api-with-authorizer.ts'
import { synthChatStack, type Synthesized } from './synth-for-test.ts'
import { functionIds, list, resourcesOf } from './template-queries.ts'

describe('a dev stage with on-demand billing and a customer managed key', () => {
  let synth: Synthesized
  before(() => {
    synth = synthChatStack({
      bundling: false,
      context: {
        'chat:stage': 'dev',
        'chat:billingMode': 'PAY_PER_REQUEST',
        'chat:tableEncryption': 'CUSTOMER_MANAGED',
        'chat:mfa': 'REQUIRED',
        'chat:apiGatewayCloudWatchRole': 'false',
        'chat:throttle': '{"rateLimit":20,"burstLimit":40}',
      },
    })
  })
  after(() => synth?.dispose())

  test('has no unacknowledged cdk-nag finding', () => {
    assert.deepEqual(synth.nagFindings, [])
  })

  test('the stack and the stage are named after the stage', () => {
    assert.equal(synth.stack.stackName, 'dynamowave-chat-dev')
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'dev',
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    })
  })

  test('on-demand billing: no provisioned throughput and no autoscaling at all', () => {
    const [[, table]] = resourcesOf(synth.json, 'AWS::DynamoDB::Table')
    assert.equal(table.BillingMode, 'PAY_PER_REQUEST')
    assert.equal(table.ProvisionedThroughput, undefined)
    assert.equal(table.GlobalSecondaryIndexes[0].ProvisionedThroughput, undefined)
    synth.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalableTarget', 0)
    synth.template.resourceCountIs('AWS::ApplicationAutoScaling::ScalingPolicy', 0)
  })

  test('a non-production stage deletes its table and user pool with the stack', () => {
    synth.template.hasResource('AWS::DynamoDB::Table', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ DeletionProtectionEnabled: false }) })
    synth.template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' })
  })

  test('the table is encrypted with a rotating customer managed key, which table users may use', () => {
    const [[keyId, key]] = resourcesOf(synth.json, 'AWS::KMS::Key')
    assert.equal(key.EnableKeyRotation, true)
    synth.template.hasResourceProperties('AWS::DynamoDB::Table', {
      SSESpecification: { SSEEnabled: true, SSEType: 'KMS', KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } },
    })
    const keyStatements = resourcesOf(synth.json, 'AWS::IAM::Policy')
      .flatMap(([, p]) => p.PolicyDocument.Statement as Record<string, any>[])
      .filter((s) => JSON.stringify(s.Resource).includes(keyId))
    // One statement per function that touches the table; `default` does not.
    const tableUsers = Object.values(api.functions as ApiDeclaration['functions']).filter((fn) => fn.tables?.chat?.length)
    assert.equal(keyStatements.length, tableUsers.length)
    for (const statement of keyStatements) {
      for (const action of list(statement.Action) as string[]) assert.match(action, /^kms:(Decrypt|DescribeKey|Encrypt|GenerateDataKey)$/)
    }
  })

  test('MFA can be required, and the stack can leave the account’s API Gateway CloudWatch role alone', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPool', { MfaConfiguration: 'ON' })
    synth.template.resourceCountIs('AWS::ApiGateway::Account', 0)
  })
})

describe('a declaration with an authorizer, with reserved and provisioned concurrency switched on', () => {
  let synth: Synthesized
  let ids: Map<string, string>
  before(() => {
    synth = synthChatStack({
      api: apiWithAuthorizer,
      bundling: false,
      context: {
        // As given on the command line: strings.
        'chat:provisionedConcurrency': '2',
        'chat:reservedConcurrency': '{"sendmessage":50,"authorize":20,"connect":10}',
      },
    })
    ids = functionIds(synth.json, Object.keys(apiWithAuthorizer.functions))
  })
  after(() => synth?.dispose())

  test('has no unacknowledged cdk-nag finding', () => {
    assert.deepEqual(synth.nagFindings, [])
  })

  test('a Lambda REQUEST authorizer with the declared identity source invokes the authorizer’s alias', () => {
    const [[authorizerId, authorizer]] = resourcesOf(synth.json, 'AWS::ApiGatewayV2::Authorizer')
    assert.equal(authorizer.AuthorizerType, 'REQUEST')
    assert.deepEqual(authorizer.IdentitySource, ['route.request.querystring.token'])
    const aliasRef = authorizer.AuthorizerUri['Fn::Join'][1].find(
      (part: { Ref?: string }) => part.Ref !== undefined && synth.json.Resources[part.Ref]?.Type === 'AWS::Lambda::Alias',
    )
    assert.equal(synth.json.Resources[aliasRef.Ref].Properties?.FunctionName.Ref, ids.get('authorize'))
    // API Gateway may invoke the alias for this authorizer only.
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: aliasRef,
      Principal: 'apigateway.amazonaws.com',
      SourceArn: Match.objectLike({ 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/authorizers/'), { Ref: authorizerId }])] }),
    })
  })

  test('only $connect is authorized', () => {
    for (const [, route] of resourcesOf(synth.json, 'AWS::ApiGatewayV2::Route')) {
      const connect = route.RouteKey === '$connect'
      assert.equal(route.AuthorizationType, connect ? 'CUSTOM' : 'NONE', route.RouteKey)
      assert.equal(route.AuthorizerId !== undefined, connect, route.RouteKey)
    }
  })

  test('the authorizer verifies tokens of this stack’s user pool and web client, and is told the pool’s id', () => {
    const env = synth.json.Resources[ids.get('authorize')!].Properties?.Environment.Variables
    const [[poolId]] = resourcesOf(synth.json, 'AWS::Cognito::UserPool')
    const [[clientId]] = resourcesOf(synth.json, 'AWS::Cognito::UserPoolClient')
    assert.deepEqual(env, {
      TOKEN_ISSUER: { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [poolId, 'ProviderName'] }]] },
      TOKEN_CLIENT_ID: { Ref: clientId },
      LOG_LEVEL: 'info',
      USER_POOL_ID: { Ref: poolId },
      NODE_OPTIONS: '--enable-source-maps',
    })
  })

  test('provisioned concurrency goes on the alias of each hot-path function: $connect, the authorizer and sendmessage', () => {
    const provisioned = Object.fromEntries(
      resourcesOf(synth.json, 'AWS::Lambda::Alias').map(([, alias]) => [
        [...ids].find(([, id]) => id === alias.FunctionName.Ref)![0],
        alias.ProvisionedConcurrencyConfig?.ProvisionedConcurrentExecutions ?? 0,
      ]),
    )
    const hot = hotPathFunctions(apiWithAuthorizer)
    assert.deepEqual(provisioned, Object.fromEntries(Object.keys(apiWithAuthorizer.functions).map((name) => [name, hot.has(name) ? 2 : 0])))
    assert.deepEqual([...hot].sort(), ['authorize', 'connect', 'sendmessage'])
  })

  test('reserved concurrency is set on exactly the configured functions', () => {
    const reserved = Object.fromEntries([...ids].map(([name, id]) => [name, synth.json.Resources[id].Properties?.ReservedConcurrentExecutions]))
    // The configured values, and the declared ones for the functions the setting does not name.
    const configured: Record<string, number> = { sendmessage: 50, authorize: 20, connect: 10 }
    const declared = (name: string) => (apiWithAuthorizer.functions as Record<string, { reservedConcurrency?: number }>)[name].reservedConcurrency
    assert.deepEqual(reserved, Object.fromEntries(Object.keys(apiWithAuthorizer.functions).map((name) => [name, configured[name] ?? declared(name)])))
  })

  test('a new route and function need no infra change: routed, and granted the declared methods and table access only', () => {
    const role = synth.json.Resources[ids.get('fixturePing')!].Properties?.Role['Fn::GetAtt'][0]
    const statements = resourcesOf(synth.json, 'AWS::IAM::Policy')
      .filter(([, p]) => p.Roles.some((r: { Ref: string }) => r.Ref === role))
      .flatMap(([, p]) => p.PolicyDocument.Statement as Record<string, any>[])
    const manage = statements.filter((s) => list(s.Action).includes('execute-api:ManageConnections')).flatMap((s) => list(s.Resource))
    assert.deepEqual(
      manage.map((arn) => JSON.stringify(arn).match(/\/prod\/(\w+)\/@connections\/\*/)?.[1]).sort(),
      ['DELETE', 'POST'],
    )
    const dynamo = statements.flatMap((s) => list(s.Action)).filter((a) => String(a).startsWith('dynamodb:'))
    assert.deepEqual(dynamo.sort(), ['dynamodb:DeleteItem', 'dynamodb:PutItem', 'dynamodb:Query', 'dynamodb:UpdateItem'])
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Route', { RouteKey: 'fixtureping', RouteResponseSelectionExpression: '$default' })
  })
})
