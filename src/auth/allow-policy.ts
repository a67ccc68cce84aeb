// What the authorizer answers for a verified user: Allow exactly this `$connect` (§6.5), with the
// user in the context so every later event of the connection carries it (§6.9).
import type { AuthorizerResult } from './authorizer-event.ts'
import type { VerifiedUser } from './token-verifier.ts'

export function allowPolicy(methodArn: string, user: VerifiedUser): AuthorizerResult {
  return {
    principalId: user.userId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
    },
    context: { userId: user.userId, username: user.username },
  }
}
