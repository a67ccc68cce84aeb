// The WebSocket API from the declaration: its route selection expression, one route per declared route
// key (two-way routes get a route response), the Lambda REQUEST authorizer on $connect (the only route
// API Gateway lets authorize), and a stage with default route throttling and access logging.
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib'
import { WebSocketApi, WebSocketStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2'
import { WebSocketLambdaAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers'
import { WebSocketLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations'
import { Effect, PolicyStatement, type Role } from 'aws-cdk-lib/aws-iam'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import { accessLogFormat } from './access-log-format.ts'
import { DeclarationError } from './declaration-error.ts'
import { acknowledgeWildcards } from './nag-findings.ts'

export interface DeclaredWebSocketApiProps {
  readonly api: ApiDeclaration
  readonly stageName: string
  readonly throttle: { readonly rateLimit: number; readonly burstLimit: number }
  readonly logRetention: RetentionDays
}

type ManagementMethod = 'POST' | 'GET' | 'DELETE'

export class DeclaredWebSocketApi extends Construct {
  readonly webSocketApi: WebSocketApi
  readonly stage: WebSocketStage
  readonly accessLogs: LogGroup
  private readonly declaration: ApiDeclaration

  constructor(scope: Construct, id: string, props: DeclaredWebSocketApiProps) {
    super(scope, id)
    this.declaration = props.api
    this.webSocketApi = new WebSocketApi(this, 'Api', {
      apiName: `${props.api.name}-${props.stageName}`,
      routeSelectionExpression: props.api.routeSelectionExpression,
    })
    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })
    this.stage = new WebSocketStage(this, 'Stage', {
      webSocketApi: this.webSocketApi,
      stageName: props.stageName,
      autoDeploy: true,
      throttle: { rateLimit: props.throttle.rateLimit, burstLimit: props.throttle.burstLimit },
      accessLogSettings: { destination: new LogGroupLogDestination(this.accessLogs), format: accessLogFormat() },
    })
  }

  /** `wss://{apiId}.execute-api.{region}.amazonaws.com/{stage}` */
  get url(): string {
    return this.stage.url
  }

  /** `https://{apiId}.execute-api.{region}.amazonaws.com/{stage}`, the `@connections` endpoint. */
  get callbackUrl(): string {
    return this.stage.callbackUrl
  }

  /** Every declared route, each invoking its function through `handlers` (function name → alias). */
  addRoutes(handlers: ReadonlyMap<string, IFunction>): void {
    const api = this.declaration
    const handlerOf = (functionName: string, what: string): IFunction => {
      const handler = handlers.get(functionName)
      if (!handler) throw new DeclarationError(`${what} names function '${functionName}', which src/api.ts does not declare`)
      return handler
    }
    const authorizer = api.authorizer && this.authorizer(handlerOf(api.authorizer.function, 'The authorizer'), api.authorizer.identitySource)
    if (authorizer && !api.routes.some((route) => route.routeKey === '$connect')) {
      throw new DeclarationError('The authorizer needs a $connect route: API Gateway authorizes WebSocket connections only on $connect')
    }
    for (const route of api.routes) {
      const created = this.webSocketApi.addRoute(route.routeKey, {
        integration: new WebSocketLambdaIntegration(`${route.routeKey}-Integration`, handlerOf(route.function, `Route ${route.routeKey}`)),
        returnResponse: route.twoWay === true,
        ...(route.routeKey === '$connect' && authorizer && { authorizer }),
      })
      if (route.routeKey !== '$connect') {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason:
            'API Gateway authorizes a WebSocket connection once, on $connect (the only route that takes an authorizer); every later message on that connection runs as the identity the authorizer returned.',
        })
      } else if (!authorizer) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: 'src/api.ts declares no authorizer yet, so $connect is open; the acknowledgement disappears as soon as one is declared.',
        })
      }
    }
  }

  /** execute-api:ManageConnections on this API's stage, for the methods given and no others. */
  grantManageConnections(role: Role, methods: readonly ManagementMethod[]): void {
    const stack = Stack.of(this)
    const resources = [...new Set(methods)].map((method) =>
      stack.formatArn({ service: 'execute-api', resource: this.webSocketApi.apiId, resourceName: `${this.stage.stageName}/${method}/@connections/*` }),
    )
    role.addToPrincipalPolicy(new PolicyStatement({ effect: Effect.ALLOW, actions: ['execute-api:ManageConnections'], resources }))
    acknowledgeWildcards(
      role,
      { resources },
      'Connection ids are created at run time, so the @connections resource ends in a wildcard; it is scoped to this API, this stage and the declared methods.',
    )
  }

  private authorizer(handler: IFunction, identitySource: readonly string[]): WebSocketLambdaAuthorizer {
    return new WebSocketLambdaAuthorizer('Authorizer', handler, {
      authorizerName: `${this.declaration.name}-authorizer`,
      identitySource: [...identitySource],
    })
  }
}
