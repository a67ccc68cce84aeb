// GetTokensFromRefreshToken: the newer way to refresh (Cognito API reference; Amplify v6 refreshes
// with it), answering what REFRESH_TOKEN_AUTH answers. Without refresh-token rotation (the pool's
// clients do not rotate) no new refresh token comes back. The client must allow refresh tokens, as for
// REFRESH_TOKEN_AUTH.
import { defaultAuthFlows } from '../../src/user-pool-declaration.ts'
import { CognitoError } from './cognito-error.ts'
import type { Operation } from './cognito-operations.ts'
import { refreshAuth } from './initiate-auth.ts'
import { refreshTokenInput } from './operation-inputs.ts'

export const getTokensFromRefreshToken: Operation = async (deps, input) => {
  const { token } = refreshTokenInput(deps.settings.clientId, input)
  if (!(deps.settings.pool.client.authFlows ?? defaultAuthFlows).includes('REFRESH_TOKEN_AUTH')) {
    throw new CognitoError('InvalidParameterException', 'REFRESH_TOKEN_AUTH flow not enabled for this client')
  }
  const { AuthenticationResult } = await refreshAuth(deps, { REFRESH_TOKEN: token })
  return { AuthenticationResult }
}
