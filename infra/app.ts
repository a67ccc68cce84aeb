// The CDK app: one stack, `{api.name}-{stage}`, built from src/api.ts, src/tables.ts and src/user-pool.ts
// with the settings in cdk.json (see stack-config.ts), checked by cdk-nag's AWS Solutions rules at synth time.
// Environment-agnostic: synth needs no AWS credentials; deploy takes account and region from them.
import { fileURLToPath } from 'node:url'
import { App, Validations } from 'aws-cdk-lib'
import { AwsSolutionsChecks } from 'cdk-nag'
import { api } from '../src/api.ts'
import { tables } from '../src/tables.ts'
import { userPool } from '../src/user-pool.ts'
import { ChatStack } from './chat-stack.ts'
import { readStackConfig, stackNameOf } from './stack-config.ts'

const root = fileURLToPath(new URL('..', import.meta.url))
const app = new App()
const config = readStackConfig((key) => app.node.tryGetContext(key))
new ChatStack(app, stackNameOf(api.name, config.stage), {
  api,
  tables,
  userPool,
  config,
  root,
  webDir: `${root}src/web`,
  description: `DynamoWave Chat, stage ${config.stage}: WebSocket API, Lambda, DynamoDB, Cognito and the web page`,
})
Validations.of(app).addPlugins(new AwsSolutionsChecks(app))
app.synth()
