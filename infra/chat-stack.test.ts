// Template assertions on the stack as `npm run synth` builds it (cdk.json's defaults, the real
// declarations): cdk-nag, the API and its stage, the functions, and least-privilege grants.
import type { ApiDeclaration } from '../src/api-declaration.ts'
import assert from 'node:assert/strict'
import { after, before, describe, test } from 'node:test'
import { Annotations, Match } from 'aws-cdk-lib/assertions'
import { api } from '../src/api.ts'
import { accessLogFields } from './access-log-format.ts'
import { synthChatStack, type Synthesized, type TemplateJson } from './synth-for-test.ts'
import { functionIds, idOf, list, resourcesOf, statementsByRole } from './template-queries.ts'

describe('the chat stack with the default settings: checks, API, functions and grants', () => {
  let synth: Synthesized
  let json: TemplateJson
  let ids: Map<string, string>
  before(() => {
    synth = synthChatStack({ bundling: false })
    json = synth.json
    ids = functionIds(json, Object.keys(api.functions))
  })
  after(() => synth?.dispose())

  const functionOf = (name: string): Record<string, any> => json.Resources[ids.get(name)!].Properties!
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
    assert.deepEqual([...ids.keys()].sort(), Object.keys(api.functions).sort())
    for (const [name, fn] of Object.entries(api.functions as ApiDeclaration['functions'])) {
      const props = functionOf(name)
      assert.equal(props.Runtime, 'nodejs24.x', name)
      assert.deepEqual(props.Architectures, ['arm64'], name)
      assert.equal(props.MemorySize, fn.memoryMb, name)
      assert.equal(props.Timeout, fn.timeoutSeconds, name)
      assert.equal(props.Handler, 'index.handler', name)
      // Plus the runtime's NODE_OPTIONS, which applies the shipped source maps.
      assert.deepEqual(Object.keys(props.Environment?.Variables ?? {}).sort(), [...Object.keys(fn.environment), 'NODE_OPTIONS'].sort(), name)
      assert.equal(props.Environment?.Variables?.NODE_OPTIONS, '--enable-source-maps', name)
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
    assert.deepEqual(aliases.map(([, a]) => a.FunctionName.Ref).sort(), [...ids.values()].sort())
    for (const [, alias] of aliases) {
      assert.equal(alias.Name, 'live')
      assert.equal(alias.ProvisionedConcurrencyConfig, undefined)
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
    for (const [name, fn] of Object.entries(api.functions as ApiDeclaration['functions'])) {
      const granted = new Map<string, unknown[]>()
      for (const statement of roles.get(roleOf(name)) ?? []) {
        for (const action of list(statement.Action) as string[]) {
          if (action.startsWith('dynamodb:')) granted.set(action, list(statement.Resource))
        }
      }
      const access: readonly string[] = fn.tables?.chat ?? []
      const expected = new Map<string, unknown[]>()
      for (const action of access) expected.set(`dynamodb:${action}`, action === 'Query' ? [tableArn, indexArn] : [tableArn])
      assert.deepEqual(Object.fromEntries([...granted].sort()), Object.fromEntries([...expected].sort()), name)
    }
  })

  test('only functions that post get execute-api:ManageConnections, scoped to this API, the stage and their methods', () => {
    const apiId = idOf(json, 'AWS::ApiGatewayV2::Api')
    const roles = statementsByRole(json)
    for (const [name, fn] of Object.entries(api.functions as ApiDeclaration['functions'])) {
      const statements = (roles.get(roleOf(name)) ?? []).filter((s) => list(s.Action).includes('execute-api:ManageConnections'))
      const methods: readonly string[] = fn.manageConnections ?? []
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

})
