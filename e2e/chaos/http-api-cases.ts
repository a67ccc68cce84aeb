// Malformed requests to the emulator's HTTP APIs: the stage path (spec §1.2: a plain GET is 426),
// `@connections` (§7: methods, SigV4 or not, odd ids, bodies too big, cut short or mis-sized), the
// local Cognito's JSON API (broken JSON, wrong types, unknown operations, huge bodies) and the JWKS.
import { request, host, sigV4, simple, type HttpCase, type HttpContext } from './http-case.ts'

const KB = 1024

export function stageCases(): HttpCase[] {
  const targets = ['/prod', '/prod/', '/prod?%zz=%', '/PROD', '/prod/extra', '/prod%2f', '/prod?token=x']
  return [
    ...targets.map((t): HttpCase => ({ class: 'stage path', name: `GET ${t}`, build: (ctx) => simple(ctx, 'GET', t) })),
    ...['HEAD', 'POST', 'OPTIONS', 'DELETE'].map((m): HttpCase => ({ class: 'stage path', name: `${m} /prod`, build: (ctx) => simple(ctx, m, '/prod', [], m === 'POST' ? 'x' : undefined) })),
  ]
}

const ids: readonly (readonly [string, (ctx: HttpContext) => string])[] = [
  ['a well-formed unknown id', (ctx) => `${ctx.rng.bytes(11).toString('base64url').slice(0, 15)}=`],
  ['an id of one letter', () => 'a'],
  ['an id of 10 KB', () => 'A'.repeat(10 * KB)],
  ['a non-ASCII id', () => encodeURIComponent('ünïcödé😀')],
  ['%00 in the id', () => 'abc%00def'],
  ['%ZZ in the id', () => '%ZZ'],
  ['bad percent-encoding %E0%A4%A', () => '%E0%A4%A'],
  ['"../" in the id', () => '..%2F..%2Fx'],
  ['a raw NUL in the id', () => 'ab\u0000c'],
]

export function connectionsCases(): HttpCase[] {
  const cases: HttpCase[] = []
  for (const method of ['GET', 'POST', 'DELETE', 'PUT', 'PATCH']) {
    for (const signed of [false, true]) {
      for (const [idName, id] of ids) {
        cases.push({
          class: '@connections',
          name: `${method} ${signed ? 'signed' : 'unsigned'}, ${idName}`,
          build: (ctx) => simple(ctx, method, `/prod/@connections/${id(ctx)}`, signed ? [sigV4] : [], method === 'POST' ? '{"hello":1}' : undefined),
        })
      }
    }
  }
  const valid = (ctx: HttpContext) => ids[0][1](ctx)
  const post = (ctx: HttpContext, headers: string[], body: string | Buffer, abortAfterMs?: number) => ({
    chunks: [request([`POST /prod/@connections/${valid(ctx)} HTTP/1.1`, host(ctx), 'Connection: close', sigV4, ...headers], body)],
    abortAfterMs,
  })
  const paths = ['/prod/%40connections/AAAAAAAAAAAAAAA=', '/other/@connections/AAAAAAAAAAAAAAA=', '/@connections/AAAAAAAAAAAAAAA=', '/prod/@connections', '/prod/@connections/', '/prod/@CONNECTIONS/x', '/prod/@connections/a/b']
  cases.push(
    ...paths.map((p): HttpCase => ({ class: '@connections', name: `GET signed ${p}`, build: (ctx) => simple(ctx, 'GET', p, [sigV4]) })),
    { class: '@connections', name: 'POST a 200 KB body', build: (ctx) => post(ctx, [`Content-Length: ${200 * KB}`], Buffer.alloc(200 * KB, 0x78)) },
    { class: '@connections', name: 'POST a 200 KB chunked body', build: (ctx) => post(ctx, ['Transfer-Encoding: chunked'], `${(200 * KB).toString(16)}\r\n${'x'.repeat(200 * KB)}\r\n0\r\n\r\n`) },
    { class: '@connections', name: 'POST a body cut short (Content-Length 1000, 10 sent)', build: (ctx) => post(ctx, ['Content-Length: 1000'], 'x'.repeat(10), 300) },
    { class: '@connections', name: 'POST Content-Length 5, 100 bytes sent', build: (ctx) => post(ctx, ['Content-Length: 5'], 'x'.repeat(100)) },
    { class: '@connections', name: 'POST Content-Length -1', build: (ctx) => post(ctx, ['Content-Length: -1'], 'xx') },
    { class: '@connections', name: 'POST Content-Length abc', build: (ctx) => post(ctx, ['Content-Length: abc'], 'xx') },
    { class: '@connections', name: 'POST two different Content-Lengths', build: (ctx) => post(ctx, ['Content-Length: 2', 'Content-Length: 3'], 'xxx') },
    { class: '@connections', name: 'POST Content-Length and chunked', build: (ctx) => post(ctx, ['Content-Length: 3', 'Transfer-Encoding: chunked'], '3\r\nxxx\r\n0\r\n\r\n') },
    { class: '@connections', name: 'POST malformed chunk size', build: (ctx) => post(ctx, ['Transfer-Encoding: chunked'], 'zz\r\nxxx\r\n0\r\n\r\n') },
    { class: '@connections', name: 'POST a chunked body cut short', build: (ctx) => post(ctx, ['Transfer-Encoding: chunked'], 'ffff\r\nxxx', 300) },
  )
  return cases
}

const operations = ['SignUp', 'InitiateAuth', 'ConfirmSignUp', 'Foo', '', 'constructor', '__proto__', 'toString']

const cognitoBodies: readonly (readonly [string, (ctx: HttpContext) => string | Buffer])[] = [
  ['an empty body', () => ''],
  ['"{"', () => '{'],
  ['"{\\"a\\":"', () => '{"a":'],
  ['null', () => 'null'],
  ['an array', () => '[]'],
  ['a string', () => '"s"'],
  ['1e400', () => '1e400'],
  ['arrays 10,000 deep', () => '['.repeat(10_000) + ']'.repeat(10_000)],
  ['objects 10,000 deep', () => '{"a":'.repeat(10_000) + '1' + '}'.repeat(10_000)],
  ['invalid UTF-8', () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d])],
  ['every member the wrong type', () => JSON.stringify({ ClientId: 1, Username: [], Password: {}, AuthFlow: null, AuthParameters: 'x', UserAttributes: {}, ConfirmationCode: true })],
  ['the right client, members the wrong type', (ctx) => JSON.stringify({ ClientId: ctx.clientId, Username: { $ne: 1 }, Password: 123, AuthFlow: ['USER_PASSWORD_AUTH'], AuthParameters: { USERNAME: {}, PASSWORD: [] }, UserAttributes: [{ Name: 1, Value: null }] })],
  ['a 100 KB username', (ctx) => JSON.stringify({ ClientId: ctx.clientId, Username: 'u'.repeat(100 * KB), Password: 'x', AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: { USERNAME: 'u'.repeat(100 * KB), PASSWORD: 'x' } })],
  ['a 300 KB body', () => JSON.stringify({ pad: 'x'.repeat(300 * KB) })],
  ['__proto__ members', (ctx) => `{"ClientId":"${ctx.clientId}","__proto__":{"Username":"admin"},"AuthFlow":"USER_PASSWORD_AUTH","AuthParameters":{"__proto__":{"USERNAME":"admin"}}}`],
]

export function cognitoCases(): HttpCase[] {
  const cases: HttpCase[] = []
  for (const op of operations) {
    for (const [bodyName, body] of cognitoBodies) {
      cases.push({
        class: 'Cognito API',
        name: `${op || '(no operation)'} with ${bodyName}`,
        build: (ctx) => simple(ctx, 'POST', '/', [`X-Amz-Target: AWSCognitoIdentityProviderService.${op}`, 'Content-Type: application/x-amz-json-1.1'], body(ctx)),
      })
    }
  }
  cases.push(
    { class: 'Cognito API', name: 'X-Amz-Target without the service prefix', build: (ctx) => simple(ctx, 'POST', '/', ['X-Amz-Target: InitiateAuth'], '{}') },
    { class: 'Cognito API', name: 'empty X-Amz-Target', build: (ctx) => simple(ctx, 'POST', '/', ['X-Amz-Target: '], '{}') },
    { class: 'Cognito API', name: 'GET / with X-Amz-Target', build: (ctx) => simple(ctx, 'GET', '/', ['X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth']) },
    { class: 'Cognito API', name: 'preflight', build: (ctx) => simple(ctx, 'OPTIONS', '/', ['Access-Control-Request-Method: POST', 'Access-Control-Request-Headers: x-amz-target']) },
    { class: 'Cognito API', name: 'preflight with a 8 KB header list', build: (ctx) => simple(ctx, 'OPTIONS', '/', ['Access-Control-Request-Method: POST', `Access-Control-Request-Headers: ${'x,'.repeat(4 * KB)}`]) },
    { class: 'Cognito API', name: 'a body cut short', build: (ctx) => ({ ...simple(ctx, 'POST', '/', ['X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Length: 500'], undefined), abortAfterMs: 300 }) },
  )
  return cases
}

export function jwksCases(): HttpCase[] {
  const paths = (ctx: HttpContext) => `/${ctx.userPoolId}/.well-known`
  const variants: readonly (readonly [string, string, (ctx: HttpContext) => string])[] = [
    ['GET', 'the JWKS', (ctx) => `${paths(ctx)}/jwks.json`],
    ['HEAD', 'the JWKS', (ctx) => `${paths(ctx)}/jwks.json`],
    ['POST', 'the JWKS', (ctx) => `${paths(ctx)}/jwks.json`],
    ['GET', 'the OpenID configuration', (ctx) => `${paths(ctx)}/openid-configuration`],
    ['GET', 'another pool', () => '/us-east-1_Nope00000/.well-known/jwks.json'],
    ['GET', 'a trailing slash', (ctx) => `${paths(ctx)}/jwks.json/`],
    ['GET', 'a query string', (ctx) => `${paths(ctx)}/jwks.json?x=%`],
    ['GET', 'percent-encoded dots', (ctx) => `/${ctx.userPoolId}/%2ewell-known/jwks.json`],
    ['GET', 'a "../" detour', (ctx) => `${paths(ctx)}/../.well-known/jwks.json`],
    ['GET', 'bad percent-encoding', (ctx) => `${paths(ctx)}/jwks.json%E0%A4%A`],
  ]
  return variants.map(([method, name, target]): HttpCase => ({ class: 'JWKS', name: `${method} ${name}`, build: (ctx) => simple(ctx, method, target(ctx)) }))
}
