// The whole chat on AWS, derived from the declarations: the table(s) of src/tables.ts, one function
// per function of src/api.ts with exactly its declared environment and grants, the WebSocket API with
// every declared route and the authorizer, the Cognito user pool of src/user-pool.ts, and the page. A new route or function in the
// declaration needs no change here.
import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib'
import type { IFunction } from 'aws-cdk-lib/aws-lambda'
import type { RetentionDays } from 'aws-cdk-lib/aws-logs'
import type { Construct } from 'constructs'
import type { ApiDeclaration } from '../src/api-declaration.ts'
import type { TableDeclaration } from '../src/tables.ts'
import type { UserPoolDeclaration } from '../src/user-pool-declaration.ts'
import { ApiGatewayCloudWatchRole } from './api-gateway-cloudwatch-role.ts'
import { ChatUserPool } from './chat-user-pool.ts'
import { concurrencyPlan } from './concurrency-plan.ts'
import { triggerProblems } from '../emulator/declaration-rules.ts'
import { DeclarationError } from './declaration-error.ts'
import { DeclaredFunction } from './declared-function.ts'
import { DeclaredTable } from './declared-table.ts'
import { DeclaredWebSocketApi } from './declared-websocket-api.ts'
import { resolveEnvironment } from './function-environment.ts'
import { isProductionStage, type StackConfig } from './stack-config.ts'
import { tableAccessStatements } from './table-access.ts'
import { WebSite } from './web-site.ts'

export interface ChatStackProps extends StackProps {
  readonly api: ApiDeclaration
  readonly tables: Readonly<Record<string, TableDeclaration>>
  readonly userPool: UserPoolDeclaration
  readonly config: StackConfig
  /** Project root: function entries are relative to it. */
  readonly root: string
  /** The page's files. */
  readonly webDir: string
}

export class ChatStack extends Stack {
  readonly tables: ReadonlyMap<string, DeclaredTable>
  readonly functions: ReadonlyMap<string, DeclaredFunction>
  readonly webSocket: DeclaredWebSocketApi
  readonly users: ChatUserPool
  readonly site: WebSite

  constructor(scope: Construct, id: string, props: ChatStackProps) {
    super(scope, id, props)
    const { api, config } = props
    const production = isProductionStage(config)
    const logRetention = config.logRetentionDays as RetentionDays

    this.tables = new Map(
      Object.entries(props.tables).map(([tableId, declaration]) => [
        tableId,
        new DeclaredTable(this, `${pascal(tableId)}Table`, { declaration, config, production }),
      ]),
    )
    this.users = new ChatUserPool(this, 'Users', {
      name: `${api.name}-${config.stage}`,
      declaration: props.userPool,
      mfa: config.mfa ?? props.userPool.mfa,
      production,
    })
    this.webSocket = new DeclaredWebSocketApi(this, 'WebSocket', {
      api,
      stageName: config.stage,
      throttle: config.throttle ?? api.throttle,
      logRetention,
    })
    if (config.apiGatewayCloudWatchRole) {
      this.webSocket.stage.node.addDependency(new ApiGatewayCloudWatchRole(this, 'ApiGatewayCloudWatchRole'))
    }

    const plan = concurrencyPlan(api, config)
    const functions = new Map<string, DeclaredFunction>()
    for (const [name, declaration] of Object.entries(api.functions)) {
      const fn = new DeclaredFunction(this, `${pascal(name)}Function`, {
        name,
        declaration,
        root: props.root,
        environment: resolveEnvironment(name, declaration.environment, {
          tableName: (tableId) => this.tables.get(tableId)?.table.tableName,
          callbackUrl: this.webSocket.callbackUrl,
          userPoolIssuer: this.users.issuer,
          userPoolClientId: this.users.webClient.userPoolClientId,
          userPoolId: this.users.userPool.userPoolId,
        }),
        concurrency: plan.get(name) ?? {},
        logRetention,
      })
      for (const [tableId, access] of Object.entries(declaration.tables ?? {})) {
        const table = this.tables.get(tableId)
        if (!table) throw new DeclarationError(`Function ${name} accesses table '${tableId}', which src/tables.ts does not declare`)
        for (const statement of tableAccessStatements(table, access)) fn.role.addToPrincipalPolicy(statement)
      }
      if (declaration.manageConnections?.length) this.webSocket.grantManageConnections(fn.role, declaration.manageConnections)
      functions.set(name, fn)
    }
    this.functions = functions
    const triggerErrors = triggerProblems(api, props.userPool)
    if (triggerErrors.length > 0) throw new DeclarationError(triggerErrors.join('; '))
    this.users.addTriggers(props.userPool.triggers ?? {}, (name) => functions.get(name)!.alias)
    this.webSocket.addRoutes(new Map<string, IFunction>([...functions].map(([name, fn]) => [name, fn.alias])))

    const cognitoEndpoint = `https://cognito-idp.${this.region}.${this.urlSuffix}`
    this.site = new WebSite(this, 'Page', {
      sourceDir: props.webDir,
      logRetention,
      connectOrigins: [`wss://${this.webSocket.webSocketApi.apiId}.execute-api.${this.region}.${this.urlSuffix}`, cognitoEndpoint],
      config: {
        websocketUrl: this.webSocket.url,
        cognito: {
          endpoint: `${cognitoEndpoint}/`,
          region: this.region,
          userPoolId: this.users.userPool.userPoolId,
          clientId: this.users.webClient.userPoolClientId,
          // The pool's rules, for the sign-up form (the emulator serves the same from the same declaration).
          passwordPolicy: props.userPool.passwordPolicy,
          requiredAttributes: props.userPool.requiredAttributes,
          signInAliases: props.userPool.signInAliases,
          mfa: config.mfa ?? props.userPool.mfa,
        },
      },
    })

    new CfnOutput(this, 'WebSocketUrl', { value: this.webSocket.url, description: 'Connect here with ?token=<Cognito ID token>' })
    new CfnOutput(this, 'PageUrl', { value: this.site.url, description: 'The chat page' })
    new CfnOutput(this, 'UserPoolId', { value: this.users.userPool.userPoolId })
    new CfnOutput(this, 'UserPoolClientId', { value: this.users.webClient.userPoolClientId })
    for (const [tableId, table] of this.tables) {
      new CfnOutput(this, this.tables.size === 1 ? 'TableName' : `${pascal(tableId)}TableName`, { value: table.table.tableName })
    }
  }
}

/** `sendmessage` → `Sendmessage`, `chat-rooms` → `ChatRooms`: construct ids from declaration keys. */
function pascal(name: string): string {
  return name
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((part) => part[0].toUpperCase() + part.slice(1))
    .join('')
}
