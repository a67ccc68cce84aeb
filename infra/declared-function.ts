// One declared function on Lambda: the same entry file the emulator runs, bundled by the local esbuild
// (no Docker), on arm64 and the newest Node.js runtime, with exactly its declared environment, its own
// role and log group, and an alias that integrations invoke (provisioned concurrency lives on aliases).
import { resolve } from 'node:path'
import { Duration, RemovalPolicy } from 'aws-cdk-lib'
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam'
import { Alias, Architecture, Runtime } from 'aws-cdk-lib/aws-lambda'
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs'
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs'
import { Construct } from 'constructs'
import type { FunctionDeclaration } from '../src/api-declaration.ts'
import type { FunctionConcurrency } from './concurrency-plan.ts'

/** The newest Node.js runtime this aws-cdk-lib offers; handlers are written for nodejs22.x and later. */
export const functionRuntime = Runtime.NODEJS_24_X

/** Integrations, the authorizer and provisioned concurrency all point at this alias. */
export const aliasName = 'live'

export interface DeclaredFunctionProps {
  /** The function's key in the declaration (`api.functions`). */
  readonly name: string
  readonly declaration: FunctionDeclaration
  /** Project root: declared entries are relative to it. */
  readonly root: string
  readonly environment: Readonly<Record<string, string>>
  readonly concurrency: FunctionConcurrency
  readonly logRetention: RetentionDays
}

export class DeclaredFunction extends Construct {
  readonly function: NodejsFunction
  readonly alias: Alias
  /** The function's own role: grants for this function go here, and nowhere else. */
  readonly role: Role
  readonly logGroup: LogGroup

  constructor(scope: Construct, id: string, props: DeclaredFunctionProps) {
    super(scope, id)
    const { declaration, root } = props
    this.logGroup = new LogGroup(this, 'Logs', { retention: props.logRetention, removalPolicy: RemovalPolicy.DESTROY })
    // A role of its own with only what this function does, instead of AWSLambdaBasicExecutionRole,
    // which may write to any log group.
    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Runs the ${props.name} handler (${declaration.entry})`,
    })
    this.logGroup.grantWrite(this.role)
    this.function = new NodejsFunction(this, 'Function', {
      entry: resolve(root, declaration.entry),
      handler: declaration.handler ?? 'handler',
      projectRoot: root,
      depsLockFilePath: resolve(root, 'package-lock.json'),
      description: `${props.name}: ${declaration.entry}`,
      runtime: functionRuntime,
      architecture: Architecture.ARM_64,
      memorySize: declaration.memoryMb,
      timeout: Duration.seconds(declaration.timeoutSeconds),
      // The bundles carry source maps (below); Node applies them to stack traces only when asked.
      environment: { ...props.environment, NODE_OPTIONS: '--enable-source-maps' },
      role: this.role,
      logGroup: this.logGroup,
      reservedConcurrentExecutions: props.concurrency.reserved,
      bundling: {
        // The handlers are ESM with top-level imports, like the rest of the project.
        format: OutputFormat.ESM,
        mainFields: ['module', 'main'],
        // A CommonJS dependency that require()s a Node built-in needs `require` inside an ESM bundle.
        banner: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        minify: true,
        sourceMap: true,
        sourcesContent: false,
        target: 'node24',
        // Ship the SDK versions the tests ran against (package-lock.json), not whatever the runtime has.
        bundleAwsSDK: true,
      },
    })
    this.alias = new Alias(this, 'Alias', {
      aliasName,
      version: this.function.currentVersion,
      provisionedConcurrentExecutions: props.concurrency.provisioned,
    })
  }
}
