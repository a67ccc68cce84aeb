// Template assertions on the stack as `npm run synth` builds it (cdk.json's defaults, the real
// declarations): API, functions, table, least-privilege grants, Cognito, the page, outputs, cdk-nag.
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Annotations, Match } from 'aws-cdk-lib/assertions'
import { api } from '../src/api.ts'
import { tables } from '../src/tables.ts'
import { accessLogFields } from './access-log-format.ts'
import { synthChatStack, type Synthesized, type TemplateJson } from './synth-for-test.ts'

function resourcesOf(template: TemplateJson, type: string): [string, Record<string, any>][] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === type)
    .map(([id, r]) => [id, r.Properties ?? {}])
}

function idOf(template: TemplateJson, type: string): string {
  const found = resourcesOf(template, type)
  assert.equal(found.length, 1, type)
  return found[0][0]
}

/** Every statement of every IAM policy attached to a role, keyed by the role's logical id. */
function statementsByRole(template: TemplateJson): Map<string, Record<string, any>[]> {
  const byRole = new Map<string, Record<string, any>[]>()
  for (const [, policy] of resourcesOf(template, 'AWS::IAM::Policy')) {
    for (const role of policy.Roles as { Ref: string }[]) {
      byRole.set(role.Ref, [...(byRole.get(role.Ref) ?? []), ...policy.PolicyDocument.Statement])
    }
  }
  return byRole
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value])

/** What each declared access means, written out here so the test does not trust the stack's own table. */
const actionsFor: Readonly<Record<string, readonly string[]>> = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem'],
  query: ['dynamodb:Query'],
  write: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem'],
}

describe('the chat stack with the default settings', () => {
  let synth: Synthesized
  let json: TemplateJson
  /** Declared function name → its Lambda's logical id, found through its role description. */
  const functionIds = new Map<string, string>()
  before(() => {
    synth = synthChatStack({ bundling: false })
    json = synth.json
    for (const [id, fn] of resourcesOf(json, 'AWS::Lambda::Function')) {
      const name = Object.keys(api.functions).find((n) => fn.Description === `${n}: ${api.functions[n as keyof typeof api.functions].entry}`)
      if (name) functionIds.set(name, id)
    }
  })
  after(() => synth?.dispose())

  const functionOf = (name: string): Record<string, any> => json.Resources[functionIds.get(name)!].Properties!
  const roleOf = (name: string): string => functionOf(name).Role['Fn::GetAtt'][0]

  test('has no cdk-nag AwsSolutions finding (error or warning) that is not acknowledged with a reason', () => {
    assert.deepEqual(synth.nagFindings, [])
  })

  test('synthesizes without a CDK warning or error', () => {
    assert.deepEqual(Annotations.fromStack(synth.stack).findWarning('*', Match.anyValue()), [])
    assert.deepEqual(Annotations.fromStack(synth.stack).findError('*', Match.anyValue()), [])
  })

  test('the API uses the declared route selection expression and has one Lambda proxy route per declared route', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'WEBSOCKET',
      RouteSelectionExpression: api.routeSelectionExpression,
    })
    const routeKeys = resourcesOf(json, 'AWS::ApiGatewayV2::Route').map(([, r]) => r.RouteKey)
    assert.deepEqual(routeKeys.sort(), api.routes.map((r) => r.routeKey).sort())
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Integration', api.routes.length)
    synth.template.allResourcesProperties('AWS::ApiGatewayV2::Integration', { IntegrationType: 'AWS_PROXY' })
  })

  test('the stage is named by config, throttles routes as declared and auto-deploys', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: 'prod',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: api.throttle.rateLimit, ThrottlingBurstLimit: api.throttle.burstLimit },
    })
  })

  test('the access log holds only $context fields and nothing that could carry the token', () => {
    const [, stage] = resourcesOf(json, 'AWS::ApiGatewayV2::Stage')[0]
    const format = JSON.parse(stage.AccessLogSettings.Format)
    assert.deepEqual(format, accessLogFields)
    for (const variable of Object.values<string>(format)) {
      assert.match(variable, /^\$context\.[A-Za-z.]+$/)
      assert.doesNotMatch(variable, /querystring|request\.|path|token|requestOverride/i, variable)
    }
    const [logGroupId, attribute] = stage.AccessLogSettings.DestinationArn['Fn::GetAtt']
    assert.equal(attribute, 'Arn')
    assert.equal(json.Resources[logGroupId].Type, 'AWS::Logs::LogGroup')
    assert.equal(json.Resources[logGroupId].Properties?.RetentionInDays, 30)
  })

  test('API Gateway gets its CloudWatch role before the stage turns access logging on', () => {
    const accountId = idOf(json, 'AWS::ApiGateway::Account')
    const [stageId] = resourcesOf(json, 'AWS::ApiGatewayV2::Stage')[0]
    assert.ok(list(json.Resources[stageId].DependsOn).includes(accountId))
    synth.template.hasResource('AWS::ApiGateway::Account', { DeletionPolicy: 'Retain' })
  })

  test('each declared function runs on arm64 and the newest Node.js runtime with its declared memory and timeout', () => {
    assert.deepEqual([...functionIds.keys()].sort(), Object.keys(api.functions).sort())
    for (const [name, fn] of Object.entries(api.functions)) {
      const props = functionOf(name)
      assert.equal(props.Runtime, 'nodejs24.x', name)
      assert.deepEqual(props.Architectures, ['arm64'], name)
      assert.equal(props.MemorySize, fn.memoryMb, name)
      assert.equal(props.Timeout, fn.timeoutSeconds, name)
      assert.equal(props.Handler, 'index.handler', name)
      assert.deepEqual(Object.keys(props.Environment?.Variables ?? {}).sort(), Object.keys(fn.environment).sort(), name)
      assert.equal(props.ReservedConcurrentExecutions, undefined, `${name}: no reserved concurrency by default`)
    }
  })

  test('each function logs to its own log group, kept for the configured 30 days', () => {
    for (const name of Object.keys(api.functions)) {
      const logGroupId = functionOf(name).LoggingConfig.LogGroup.Ref
      assert.equal(json.Resources[logGroupId].Properties?.RetentionInDays, 30, name)
    }
  })

  test('each function has a live alias without provisioned concurrency by default', () => {
    const aliases = resourcesOf(json, 'AWS::Lambda::Alias')
    assert.deepEqual(aliases.map(([, a]) => a.FunctionName.Ref).sort(), [...functionIds.values()].sort())
    for (const [, alias] of aliases) {
      assert.equal(alias.Name, 'live')
      assert.equal(alias.ProvisionedConcurrencyConfig, undefined)
    }
  })

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
            ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
          },
        ],
        TimeToLiveSpecification: { AttributeName: chat.timeToLiveAttribute, Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        SSESpecification: { SSEEnabled: true },
        ProvisionedThroughput: { ReadCapacityUnits: 1, WriteCapacityUnits: 1 },
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
    for (const target of targets) {
      assert.deepEqual([target.min, target.max], [1, 25], target.dimension)
      if (target.dimension.startsWith('dynamodb:index')) assert.match(target.resource, /\/index\/gsi1/)
    }
    const policies = resourcesOf(json, 'AWS::ApplicationAutoScaling::ScalingPolicy')
    assert.deepEqual(policies.map(([, p]) => p.ScalingTargetId.Ref).sort(), targets.map((t) => t.id).sort())
    for (const [, policy] of policies) {
      assert.equal(policy.PolicyType, 'TargetTrackingScaling')
      assert.equal(policy.TargetTrackingScalingPolicyConfiguration.TargetValue, 70)
    }
  })

  test('no policy anywhere allows dynamodb:Scan or a DynamoDB wildcard', () => {
    for (const [, statements] of statementsByRole(json)) {
      for (const action of statements.flatMap((s) => list(s.Action)) as string[]) {
        assert.ok(action !== 'dynamodb:Scan' && !/^dynamodb:.*\*/.test(action) && action !== '*', action)
      }
    }
  })

  test('each function may use exactly the DynamoDB actions its declared access needs, on the table and (for Query) the index', () => {
    const tableArn = { 'Fn::GetAtt': [idOf(json, 'AWS::DynamoDB::Table'), 'Arn'] }
    const indexArn = { 'Fn::Join': ['', [tableArn, '/index/gsi1']] }
    const roles = statementsByRole(json)
    for (const [name, fn] of Object.entries(api.functions)) {
      const granted = new Map<string, unknown[]>()
      for (const statement of roles.get(roleOf(name)) ?? []) {
        for (const action of list(statement.Action) as string[]) {
          if (action.startsWith('dynamodb:')) granted.set(action, list(statement.Resource))
        }
      }
      const access: readonly string[] = 'tables' in fn ? fn.tables.chat : []
      const expected = new Map<string, unknown[]>()
      for (const kind of access) {
        for (const action of actionsFor[kind]) expected.set(action, kind === 'query' ? [tableArn, indexArn] : [tableArn])
      }
      assert.deepEqual(Object.fromEntries([...granted].sort()), Object.fromEntries([...expected].sort()), name)
    }
  })

  test('only functions that post get execute-api:ManageConnections, scoped to this API, the stage and their methods', () => {
    const apiId = idOf(json, 'AWS::ApiGatewayV2::Api')
    const roles = statementsByRole(json)
    for (const [name, fn] of Object.entries(api.functions)) {
      const statements = (roles.get(roleOf(name)) ?? []).filter((s) => list(s.Action).includes('execute-api:ManageConnections'))
      const methods: readonly string[] = 'manageConnections' in fn ? fn.manageConnections : []
      assert.deepEqual(
        statements.flatMap((s) => list(s.Resource)),
        methods.map((method) => ({
          'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':execute-api:', { Ref: 'AWS::Region' }, ':', { Ref: 'AWS::AccountId' }, ':', { Ref: apiId }, `/prod/${method}/@connections/*`]],
        })),
        name,
      )
    }
    // No role outside the declared functions may manage connections either.
    const declaredRoles = new Set(Object.keys(api.functions).map(roleOf))
    for (const [role, statements] of roles) {
      if (!declaredRoles.has(role)) assert.ok(!statements.some((s) => list(s.Action).some((a) => String(a).startsWith('execute-api:'))), role)
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

  test('the web client is public and signs in with USER_PASSWORD_AUTH and refresh tokens only', () => {
    synth.template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
      GenerateSecret: false,
      ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
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

  test('the deployed config.json gives the page the WebSocket URL and the Cognito ids', () => {
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
