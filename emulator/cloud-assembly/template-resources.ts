// What `Ref` and `Fn::GetAtt` return for each resource type (each type's "Return values" in the
// CloudFormation resource reference), with the emulator's local values in place of what AWS would
// generate: the table's name is its `TableName` or else its logical id, the API id is the emulator's,
// functions are named by `FunctionName` or else their logical id, in the local account and region.
// The user pool's and its client's ids are only known once the local Cognito has started, so they
// stand as markers here (`localMarkers`), which function-environment.ts turns into the environment
// sources the emulator resolves at start. A resource the emulator does not emulate still gets a
// name (its logical id), and is remembered so the start can say which values lean on one.
import { localAccountId, localRegion } from '../local-credentials.ts'
import { evaluate, unresolved, type IntrinsicScope } from './intrinsics.ts'

export interface TemplateResource {
  readonly Type: string
  readonly Properties?: Record<string, unknown>
  readonly Metadata?: Record<string, unknown>
}

export interface Template {
  readonly Resources: Readonly<Record<string, TemplateResource>>
  readonly Parameters?: Readonly<Record<string, { readonly Default?: unknown }>>
  readonly Mappings?: IntrinsicScope['mappings']
  readonly Conditions?: IntrinsicScope['conditions']
}

/** Values known only after start: they never reach a handler as these strings. */
export const localMarkers = {
  userPoolId: '\u0000local-user-pool-id\u0000',
  userPoolClientId: '\u0000local-user-pool-client-id\u0000',
} as const

/** The resource types whose values the emulator makes real; every other one is "not emulated". */
export const emulatedTypes: ReadonlySet<string> = new Set([
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::RouteResponse',
  'AWS::ApiGatewayV2::Authorizer',
  'AWS::ApiGatewayV2::Stage',
  'AWS::Lambda::Function',
  'AWS::Lambda::Version',
  'AWS::Lambda::Alias',
  'AWS::DynamoDB::Table',
  'AWS::DynamoDB::GlobalTable',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
])

export interface TemplateScope extends IntrinsicScope {
  /** Logical ids of resources that are not emulated whose values were asked for, since the last `take`. */
  takeNotEmulated(): string[]
  /** Evaluates a property of a resource (`undefined` when absent). */
  property(logicalId: string, name: string): unknown
}

export function templateScope(template: Template, apiId: string, stackName: string): TemplateScope {
  const resources = template.Resources
  let touched = new Set<string>()
  const region = localRegion
  const pseudo: Readonly<Record<string, unknown>> = {
    'AWS::Region': region,
    'AWS::AccountId': localAccountId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
    'AWS::StackName': stackName,
    'AWS::StackId': `arn:aws:cloudformation:${region}:${localAccountId}:stack/${stackName}/00000000-0000-0000-0000-000000000000`,
    'AWS::NotificationARNs': [],
  }
  const resource = (id: string, where: string): TemplateResource => {
    const found = Object.hasOwn(resources, id) ? resources[id] : undefined
    if (!found) throw unresolved(where, `the template has no resource ${id}`)
    return found
  }
  const property = (id: string, name: string): unknown => {
    const value = resource(id, id).Properties?.[name]
    return value === undefined ? undefined : evaluate(value, scope, `${id}.Properties.${name}`)
  }
  const named = (id: string, name: string): string => String(property(id, name) ?? id)
  const functionArn = (id: string) => `arn:aws:lambda:${region}:${localAccountId}:function:${named(id, 'FunctionName')}`
  const functionOf = (id: string, where: string): string => {
    const ref = resource(id, where).Properties?.FunctionName as { Ref?: string } | undefined
    if (typeof ref?.Ref !== 'string') throw unresolved(`${id}.Properties.FunctionName`, 'expected a Ref to a function of this template')
    return ref.Ref
  }

  const refs: Readonly<Record<string, (id: string, where: string) => unknown>> = {
    'AWS::DynamoDB::Table': (id) => named(id, 'TableName'),
    'AWS::DynamoDB::GlobalTable': (id) => named(id, 'TableName'),
    'AWS::Lambda::Function': (id) => named(id, 'FunctionName'),
    'AWS::Lambda::Version': (id, where) => `${functionArn(functionOf(id, where))}:1`,
    'AWS::Lambda::Alias': (id, where) => `${functionArn(functionOf(id, where))}:${named(id, 'Name')}`,
    'AWS::ApiGatewayV2::Api': () => apiId,
    'AWS::ApiGatewayV2::Stage': (id) => named(id, 'StageName'),
    'AWS::Cognito::UserPool': () => localMarkers.userPoolId,
    'AWS::Cognito::UserPoolClient': () => localMarkers.userPoolClientId,
  }
  const attributes: Readonly<Record<string, (id: string, attribute: string, where: string) => unknown>> = {
    'AWS::DynamoDB::Table': (id, attribute) => (attribute === 'Arn' ? `arn:aws:dynamodb:${region}:${localAccountId}:table/${named(id, 'TableName')}` : undefined),
    'AWS::Lambda::Function': (id, attribute) => (attribute === 'Arn' ? functionArn(id) : undefined),
    'AWS::Lambda::Version': (id, attribute, where) => (attribute === 'Version' ? '1' : attribute === 'FunctionArn' ? functionArn(functionOf(id, where)) : undefined),
    'AWS::Lambda::Alias': (id, attribute, where) => (attribute === 'AliasArn' ? `${functionArn(functionOf(id, where))}:${named(id, 'Name')}` : undefined),
    'AWS::ApiGatewayV2::Api': (_id, attribute) =>
      attribute === 'ApiId' ? apiId : attribute === 'ApiEndpoint' ? `wss://${apiId}.execute-api.${region}.amazonaws.com` : undefined,
    'AWS::Cognito::UserPool': (_id, attribute) => {
      const providerName = `cognito-idp.${region}.amazonaws.com/${localMarkers.userPoolId}`
      const values: Record<string, string> = {
        UserPoolId: localMarkers.userPoolId,
        ProviderName: providerName,
        ProviderURL: `https://${providerName}`,
        Arn: `arn:aws:cognito-idp:${region}:${localAccountId}:userpool/${localMarkers.userPoolId}`,
      }
      return values[attribute]
    },
    'AWS::Cognito::UserPoolClient': (_id, attribute) => (attribute === 'ClientId' ? localMarkers.userPoolClientId : undefined),
  }

  const scope: TemplateScope = {
    mappings: template.Mappings ?? {},
    conditions: template.Conditions ?? {},
    ref(name, where) {
      if (Object.hasOwn(pseudo, name)) return pseudo[name]
      if (template.Parameters && Object.hasOwn(template.Parameters, name)) {
        const fallback = template.Parameters[name].Default
        if (fallback === undefined) throw unresolved(where, `parameter ${name} has no Default, and offline no one passes it a value`)
        return fallback
      }
      const { Type: type } = resource(name, where)
      const ref = refs[type]
      if (ref) return ref(name, where)
      if (!emulatedTypes.has(type)) touched.add(name)
      return name
    },
    getAtt(id, attribute, where) {
      const { Type: type } = resource(id, where)
      const value = attributes[type]?.(id, attribute, where)
      if (value !== undefined) return value
      if (emulatedTypes.has(type)) throw unresolved(where, `${type} ${id} has no attribute ${attribute} the emulator knows`)
      touched.add(id)
      return `${id}.${attribute}`
    },
    takeNotEmulated() {
      const taken = [...touched]
      touched = new Set()
      return taken
    },
    property,
  }
  return scope
}
