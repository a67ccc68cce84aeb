// Template assertions on the stack as `npm run synth` builds it (cdk.json's defaults, the real
// declarations): the table and its autoscaling, Cognito, the page and its config, the outputs.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Match } from 'aws-cdk-lib/assertions'
import { tables } from '../src/tables.ts'
import { userPool } from '../src/user-pool.ts'
import { synthChatStack, type Synthesized, type TemplateJson } from './synth-for-test.ts'
import { capacityPlan } from './capacity-plan.ts'
import { idOf, resourcesOf } from './template-queries.ts'

const plan = capacityPlan()

describe('the chat stack with the default settings: table, users, page and outputs', () => {
  let synth: Synthesized
  let json: TemplateJson
  before(() => {
    synth = synthChatStack({ bundling: false })
    json = synth.json
  })
  after(() => synth?.dispose())

  test('the table has the declared keys, index, TTL, point-in-time recovery and KMS encryption, and is retained in prod', () => {
    const chat = tables.chat
    synth.template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Retain',
      Properties: {
        KeySchema: [
          { AttributeName: chat.partitionKey.name, KeyType: 'HASH' },
          { AttributeName: chat.sortKey.name, KeyType: 'RANGE' },
        ],
        AttributeDefinitions: Match.arrayWith([{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'gsi1pk', AttributeType: 'S' }]),
        GlobalSecondaryIndexes: [
          {
            IndexName: 'gsi1',
            KeySchema: [
              { AttributeName: 'gsi1pk', KeyType: 'HASH' },
              { AttributeName: 'gsi1sk', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
            ProvisionedThroughput: { ReadCapacityUnits: plan.index.read.min, WriteCapacityUnits: plan.index.write.min },
          },
        ],
        TimeToLiveSpecification: { AttributeName: chat.timeToLiveAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        ProvisionedThroughput: { ReadCapacityUnits: plan.table.read.min, WriteCapacityUnits: plan.table.write.min },
        DeletionProtectionEnabled: true,
      },
    })
  })

  test('provisioned capacity scales with target tracking on the table and its index, within the configured range', () => {
    const targets = resourcesOf(json, 'AWS::ApplicationAutoScaling::ScalableTarget').map(([id, t]) => ({
      id,
      dimension: t.ScalableDimension,
      resource: JSON.stringify(t.ResourceId),
      min: t.MinCapacity,
      max: t.MaxCapacity,
    }))
    assert.deepEqual(targets.map((t) => t.dimension).sort(), [
      'dynamodb:index:ReadCapacityUnits',
      'dynamodb:index:WriteCapacityUnits',
      'dynamodb:table:ReadCapacityUnits',
      'dynamodb:table:WriteCapacityUnits',
    ])
    // The ranges the capacity plan derives from the measured units of each flow.
    const range = (dimension: string) => {
      const [, part, kind] = dimension.split(':')
      const r = plan[part === 'index' ? 'index' : 'table'][kind === 'ReadCapacityUnits' ? 'read' : 'write']
      return [r.min, r.max]
    }
    for (const target of targets) {
      assert.deepEqual([target.min, target.max], range(target.dimension), target.dimension)
      if (target.dimension.startsWith('dynamodb:index')) assert.match(target.resource, /\/index\/gsi1/)
    }
    const policies = resourcesOf(json, 'AWS::ApplicationAutoScaling::ScalingPolicy')
    assert.deepEqual(policies.map(([, p]) => p.ScalingTargetId.Ref).sort(), targets.map((t) => t.id).sort())
    for (const [, policy] of policies) {
      assert.equal(policy.PolicyType, 'TargetTrackingScaling')
      assert.equal(policy.TargetTrackingScalingPolicyConfiguration.TargetValue, 70)
    }
  })

  test('the user pool lets people sign up, enforces a password policy and offers optional TOTP MFA; it is retained in prod', () => {
    synth.template.hasResource('AWS::Cognito::UserPool', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: false },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
            TemporaryPasswordValidityDays: 3,
          },
        },
        AutoVerifiedAttributes: ['email'],
      }),
    })
  })

  test('the web client is public and signs in with SRP and refresh tokens only (the password never leaves the page)', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      AllowedOAuthFlowsUserPoolClient: false,
      PreventUserExistenceErrors: 'ENABLED',
    })
  })

  test('the page is served from a private bucket through CloudFront with origin access control, over HTTPS', () => {
    synth.template.hasResourceProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
    })
    synth.template.hasResourceProperties('AWS::CloudFront::OriginAccessControl', {
      OriginAccessControlConfig: Match.objectLike({ OriginAccessControlOriginType: 's3', SigningBehavior: 'always' }),
    })
    synth.template.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        DefaultCacheBehavior: Match.objectLike({ ViewerProtocolPolicy: 'redirect-to-https' }),
        Origins: [Match.objectLike({ OriginAccessControlId: Match.anyValue(), S3OriginConfig: { OriginAccessIdentity: '' } })],
      }),
    })
  })

  test('CloudFront sends the page the same Content-Security-Policy as the emulator, naming only this API and Cognito', () => {
    const [[policyId, policy]] = resourcesOf(json, 'AWS::CloudFront::ResponseHeadersPolicy')
    const [, distribution] = resourcesOf(json, 'AWS::CloudFront::Distribution')[0]
    assert.deepEqual(distribution.DistributionConfig.DefaultCacheBehavior.ResponseHeadersPolicyId, { Ref: policyId })
    const security = policy.ResponseHeadersPolicyConfig.SecurityHeadersConfig
    const [apiId] = resourcesOf(json, 'AWS::ApiGatewayV2::Api')[0]
    const csp = JSON.stringify(security.ContentSecurityPolicy.ContentSecurityPolicy)
    assert.match(csp, /default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' wss:\/\//)
    assert.ok(csp.includes(JSON.stringify({ Ref: apiId })), 'connect-src names this stack\'s WebSocket API')
    assert.match(csp, /https:\/\/cognito-idp\./)
    assert.match(csp, /base-uri 'none'; form-action 'none'; frame-ancestors 'none'/)
    assert.equal(security.ContentSecurityPolicy.Override, true)
    assert.deepEqual(security.FrameOptions, { FrameOption: 'DENY', Override: true })
    assert.deepEqual(security.ReferrerPolicy, { ReferrerPolicy: 'no-referrer', Override: true })
    assert.equal(security.ContentTypeOptions.Override, true)
    assert.equal(security.StrictTransportSecurity.AccessControlMaxAgeSec, 31536000)
  })

  test('the deployed config.json gives the page the WebSocket URL, the Cognito ids and the declared pool’s rules', () => {
    const [, deployment] = resourcesOf(json, 'Custom::CDKBucketDeployment')[0]
    const markers = deployment.SourceMarkers.find((m: Record<string, unknown>) => Object.keys(m).length > 0) as Record<string, unknown>
    const index = deployment.SourceMarkers.indexOf(markers)
    const key = String(deployment.SourceObjectKeys[index]).replace(/\.zip$/, '')
    const raw = synth.readAsset(key, 'config.json')
    // Each marker stands for a CloudFormation value the deployment substitutes at deploy time.
    const text = raw.replace(/<<marker:0xbaba:(\d+)>>/g, (marker) => {
      const value = markers[marker] as { Ref?: string }
      return value.Ref === undefined ? `«${JSON.stringify(value).replace(/"/g, "'")}»` : `«Ref ${value.Ref}»`
    })
    const ref = (id: string) => `«Ref ${id}»`
    const region = ref('AWS::Region')
    const suffix = ref('AWS::URLSuffix')
    assert.deepEqual(JSON.parse(text), {
      websocketUrl: `wss://${ref(idOf(json, 'AWS::ApiGatewayV2::Api'))}.execute-api.${region}.${suffix}/prod`,
      cognito: {
        endpoint: `https://cognito-idp.${region}.${suffix}/`,
        region,
        userPoolId: ref(idOf(json, 'AWS::Cognito::UserPool')),
        clientId: ref(idOf(json, 'AWS::Cognito::UserPoolClient')),
        passwordPolicy: userPool.passwordPolicy,
        requiredAttributes: userPool.requiredAttributes,
        signInAliases: userPool.signInAliases,
        mfa: userPool.mfa,
      },
    })
  })

  test('outputs the WebSocket URL, page URL, user pool id, client id and table name', () => {
    const outputs = json.Outputs ?? {}
    assert.deepEqual(Object.keys(outputs).sort(), ['PageUrl', 'TableName', 'UserPoolClientId', 'UserPoolId', 'WebSocketUrl'])
    assert.deepEqual(outputs.TableName.Value, { Ref: idOf(json, 'AWS::DynamoDB::Table') })
    assert.deepEqual(outputs.UserPoolId.Value, { Ref: idOf(json, 'AWS::Cognito::UserPool') })
    assert.deepEqual(outputs.UserPoolClientId.Value, { Ref: idOf(json, 'AWS::Cognito::UserPoolClient') })
    assert.deepEqual(outputs.PageUrl.Value, { 'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [idOf(json, 'AWS::CloudFront::Distribution'), 'DomainName'] }, '/']] })
    assert.deepEqual(outputs.WebSocketUrl.Value, {
      'Fn::Join': ['', ['wss://', { Ref: idOf(json, 'AWS::ApiGatewayV2::Api') }, '.execute-api.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/prod']],
    })
  })
})
