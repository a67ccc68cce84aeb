// The `$connect` REQUEST authorizer: the Cognito token from `?token=` (browsers cannot set headers on
// a WebSocket) becomes an Allow policy with the user in its context. A bad token is exactly
// `Unauthorized` (API Gateway: 401); a failure to get the pool's keys is rethrown (500). The token is
// never logged.
import { allowPolicy } from '../auth/allow-policy.ts'
import type { AuthorizerEvent, AuthorizerResult } from '../auth/authorizer-event.ts'
import { createTokenVerifier, TokenRejected, type TokenVerifier } from '../auth/token-verifier.ts'
import { readConfig, required } from '../config.ts'

// Once per cold start: the JWKS cache lives as long as the sandbox.
let verify: TokenVerifier | undefined

export const handler = async (event: AuthorizerEvent): Promise<AuthorizerResult> => {
  const { connectionId, requestId } = event.requestContext
  try {
    if (!verify) {
      const config = readConfig()
      verify = createTokenVerifier({ issuer: required(config, 'tokenIssuer'), clientId: required(config, 'tokenClientId') })
    }
    const user = await verify(event.queryStringParameters?.token)
    return allowPolicy(event.methodArn, user)
  } catch (error) {
    if (error instanceof TokenRejected) {
      console.log(JSON.stringify({ level: 'warn', msg: 'token rejected', reason: error.reason, connectionId, requestId }))
      throw new Error('Unauthorized')
    }
    console.error(JSON.stringify({ level: 'error', msg: 'authorizer failed', connectionId, requestId, error: error instanceof Error ? `${error.name}: ${error.message}` : String(error) }))
    throw error
  }
}
