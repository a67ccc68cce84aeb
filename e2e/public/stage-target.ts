// A deployed stage, from the outputs file `cdk deploy --outputs-file outputs.json` writes. Test users
// sign up as anyone would; the deployer's credentials (the default AWS credential chain) then confirm
// them with AdminConfirmSignUp (the stage's pool emails a code no test can read), and every user a
// run created is deleted with AdminDeleteUser when the run ends, failed tests included. This is the
// only code here that calls AWS, and only when someone runs `npm run test:stage -- outputs.json`.
import { readFile } from 'node:fs/promises'
import { AdminConfirmSignUpCommand, AdminDeleteUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import type { PublicTarget } from './target.ts'

export interface StageOutputs {
  readonly WebSocketUrl: string
  readonly PageUrl?: string
  readonly UserPoolId: string
  readonly UserPoolClientId: string
}

/** The one stack in the outputs file that has the chat's outputs (or the one named `stack`). */
export function stageOutputs(file: unknown, stack?: string): StageOutputs {
  const stacks = Object.entries((file ?? {}) as Record<string, Partial<StageOutputs>>).filter(
    ([name, o]) => (stack === undefined || name === stack) && typeof o?.WebSocketUrl === 'string' && typeof o.UserPoolId === 'string' && typeof o.UserPoolClientId === 'string',
  )
  if (stacks.length !== 1) throw new Error(`the outputs file has ${stacks.length} stacks with WebSocketUrl, UserPoolId and UserPoolClientId; ${stacks.length ? 'name one: stage:<file>#<stack>' : 'deploy with `cdk deploy --outputs-file outputs.json`'}`)
  return stacks[0][1] as StageOutputs
}

export async function startStage(argument: string): Promise<PublicTarget> {
  const [file, stack] = argument.split('#')
  if (!file) throw new Error('E2E_TARGET=stage:<outputs.json>: give the file `cdk deploy --outputs-file` wrote')
  const outputs = stageOutputs(JSON.parse(await readFile(file, 'utf8')), stack)
  const region = outputs.UserPoolId.split('_')[0]
  const admin = new CognitoIdentityProviderClient({ region })
  const created = new Set<string>()
  return {
    kind: 'stage',
    url: outputs.WebSocketUrl,
    ...(outputs.PageUrl && { pageUrl: outputs.PageUrl }),
    cognito: {
      endpoint: `https://cognito-idp.${region}.amazonaws.com/`,
      region,
      userPoolId: outputs.UserPoolId,
      clientId: outputs.UserPoolClientId,
      async afterSignUp(username) {
        created.add(username)
        await admin.send(new AdminConfirmSignUpCommand({ UserPoolId: outputs.UserPoolId, Username: username }))
      },
    },
    async close() {
      for (const username of created) await admin.send(new AdminDeleteUserCommand({ UserPoolId: outputs.UserPoolId, Username: username })).catch(() => {})
      admin.destroy()
    },
  }
}
