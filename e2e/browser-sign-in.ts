// How a browser test's page reaches sign-in. The page itself always signs up and signs in through
// the Cognito user-pool JSON API named in /config.json; this decides what answers it.
//
// STAND-IN UNTIL THE AUTH BRANCH IS MERGED. This branch has no local Cognito and no token-verifying
// authorizer yet (connections name themselves with `?name=`), so `prepareSignIn` answers the page's
// Cognito calls inside the browser context (Playwright request routing, no network), checking that
// they follow Cognito's wire protocol, and serves a /config.json whose WebSocket URL carries
// `?name=`. Once the emulator serves the local Cognito in /config.json, `prepareSignIn` becomes a
// no-op and the same tests sign up against it for real.
import type { BrowserContext, Route } from 'playwright-core'
import type { Emulator } from '../emulator/start-emulator.ts'

const cognitoEndpoint = 'http://127.0.0.1:9/cognito-stand-in/'

export async function prepareSignIn(context: BrowserContext, emulator: Pick<Emulator, 'url'>, username: string): Promise<void> {
  await context.route('**/config.json', (route) =>
    route.fulfill({
      contentType: 'application/json',
      body: JSON.stringify({
        websocketUrl: `${emulator.url}?name=${encodeURIComponent(username)}`,
        cognito: { endpoint: cognitoEndpoint, region: 'us-east-1', userPoolId: 'us-east-1_standin', clientId: 'stand-in-client' },
      }),
    }),
  )
  const passwords = new Map<string, string>()
  await context.route(`${cognitoEndpoint}**`, (route) => answerCognito(route, passwords))
}

async function answerCognito(route: Route, passwords: Map<string, string>): Promise<void> {
  const request = route.request()
  const headers = request.headers()
  const target = headers['x-amz-target'] ?? ''
  const fail = (type: string, message: string, status = 400) =>
    route.fulfill({ status, contentType: 'application/x-amz-json-1.1', body: JSON.stringify({ __type: type, message }) })
  if (request.method() !== 'POST' || headers['content-type'] !== 'application/x-amz-json-1.1' || !target.startsWith('AWSCognitoIdentityProviderService.')) {
    return fail('SerializationException', `not a Cognito JSON request: ${request.method()} ${headers['content-type']} ${target}`)
  }
  const body = JSON.parse(request.postData() ?? '{}')
  if (body.ClientId !== 'stand-in-client') return fail('ResourceNotFoundException', 'unknown client')
  const ok = (value: unknown) => route.fulfill({ status: 200, contentType: 'application/x-amz-json-1.1', body: JSON.stringify(value) })
  switch (target.split('.')[1]) {
    case 'SignUp':
      if (passwords.has(body.Username)) return fail('UsernameExistsException', 'User already exists')
      passwords.set(body.Username, body.Password)
      return ok({ UserConfirmed: true, UserSub: `sub-${body.Username}` })
    case 'InitiateAuth': {
      if (body.AuthFlow === 'USER_PASSWORD_AUTH') {
        const { USERNAME, PASSWORD } = body.AuthParameters ?? {}
        if (passwords.get(USERNAME) !== PASSWORD) return fail('NotAuthorizedException', 'Incorrect username or password.')
        return ok({ AuthenticationResult: tokens(USERNAME, true) })
      }
      if (body.AuthFlow === 'REFRESH_TOKEN_AUTH') {
        const username = String(body.AuthParameters?.REFRESH_TOKEN ?? '').replace(/^refresh-/, '')
        if (!passwords.has(username)) return fail('NotAuthorizedException', 'Invalid Refresh Token')
        return ok({ AuthenticationResult: tokens(username, false) })
      }
      return fail('InvalidParameterException', `unsupported AuthFlow ${body.AuthFlow}`)
    }
    default:
      return fail('UnknownOperationException', target)
  }
}

function tokens(username: string, withRefresh: boolean) {
  const now = Math.floor(Date.now() / 1000)
  const jwt = (claims: object) =>
    [{ alg: 'none' }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString('base64url')).join('.') + '.'
  return {
    IdToken: jwt({ sub: `sub-${username}`, 'cognito:username': username, token_use: 'id', iat: now, exp: now + 3600 }),
    AccessToken: jwt({ sub: `sub-${username}`, username, token_use: 'access', iat: now, exp: now + 3600 }),
    ...(withRefresh ? { RefreshToken: `refresh-${username}` } : {}),
    ExpiresIn: 3600,
    TokenType: 'Bearer',
  }
}
