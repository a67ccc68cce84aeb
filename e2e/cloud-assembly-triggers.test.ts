// A stack whose user pool has Lambda triggers, custom attributes and groups
// (e2e/fixtures/cognito-triggers/declaration.ts), synthesized with its bundles and run from the cloud
// assembly alone: the pool's LambdaConfig runs the staged trigger bundles, its schema's custom
// attributes and its groups are the local pool's, as the declarations say.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { AdminAddUserToGroupCommand, CognitoIdentityProviderClient, SignUpCommand } from '@aws-sdk/client-cognito-identity-provider'
import { loadCloudAssembly } from '../emulator/cloud-assembly/load-cloud-assembly.ts'
import { startEmulator, type Emulator } from '../emulator/start-emulator.ts'
import { synthChatStack, type Synthesized } from '../infra/synth-for-test.ts'
import { apiWithTriggers, poolWithTriggers } from './fixtures/cognito-triggers/declaration.ts'
import { clientError, failure } from './cognito-fixture.ts'
import { cognitoClient, emailOf, passwordOf, srpSignIn } from './users.ts'

let synth: Synthesized
let emu: Emulator
before(async () => {
  synth = synthChatStack({ api: apiWithTriggers, userPool: poolWithTriggers })
  emu = await startEmulator({ cloudAssembly: { dir: synth.assemblyDir }, functionOutput: 'ignore', bundleCache: false, notice: () => {} })
})
after(async () => {
  await emu?.close()
  synth?.dispose()
})

test('the assembly reads back the declared triggers (as the functions CDK staged), custom attributes and groups', () => {
  const loaded = loadCloudAssembly({ dir: synth.assemblyDir })
  try {
    const { triggers, customAttributes, groups } = loaded.userPool!
    assert.deepEqual(Object.keys(triggers ?? {}).sort(), ['postConfirmation', 'preSignUp', 'preTokenGeneration'])
    for (const [name, fn] of Object.entries(triggers ?? {})) assert.equal(loaded.api.functions[fn!].handler, name, `${name} runs its own export`)
    assert.deepEqual(customAttributes, poolWithTriggers.customAttributes)
    assert.deepEqual(groups, poolWithTriggers.groups)
    assert.equal(loaded.notEmulated['AWS::Lambda::Permission']?.some((id) => id.includes('PreSignUp')) ?? false, false)
  } finally {
    loaded.dispose()
  }
})

test('from the assembly, PreSignUp refuses, PreTokenGeneration shapes the ID token, custom attributes and groups are claims', async (t) => {
  const client = cognitoClient(emu)
  const admin = new CognitoIdentityProviderClient({ endpoint: emu.cognito.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
  t.after(() => {
    client.destroy()
    admin.destroy()
  })
  const signUp = (username: string, attributes: Record<string, string> = {}) =>
    client.send(
      new SignUpCommand({
        ClientId: emu.cognito.clientId,
        Username: username,
        Password: passwordOf(username),
        UserAttributes: [{ Name: 'email', Value: emailOf(username) }, ...Object.entries(attributes).map(([Name, Value]) => ({ Name, Value }))],
      }),
    )
  assert.deepEqual(await failure(signUp('blocked-ca')), clientError('UserLambdaValidationException', 'PreSignUp failed with error this name is reserved.'))
  await signUp('ca-kim', { 'custom:tier': 'gold' })
  await admin.send(new AdminAddUserToGroupCommand({ UserPoolId: emu.cognito.userPoolId, Username: 'ca-kim', GroupName: 'members' }))
  const { IdToken } = (await srpSignIn(client, emu, 'ca-kim', passwordOf('ca-kim'))).AuthenticationResult!
  const claims = JSON.parse(Buffer.from(IdToken!.split('.')[1], 'base64url').toString())
  assert.deepEqual([claims.plan, 'email' in claims, claims['custom:tier'], claims['cognito:groups']], ['free', false, 'gold', ['members']])
})
