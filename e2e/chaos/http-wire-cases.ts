// Malformed requests at the HTTP wire level and on the static site: traversal and odd paths, broken
// request lines, absolute-form targets, invalid header bytes, huge headers, WebSocket upgrades that
// are wrong in every way (and on every path), and slow or half requests closed early.
import { request, host, simple, type HttpCase, type HttpContext } from './http-case.ts'

const KB = 1024

const staticPaths = ['/', '/index.html', '/app.js', '/config.json', '/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/%2e%2e%2f%2e%2e%2fetc%2fpasswd', '/..%2f..%2fpackage.json',
  '/.git/config', '/%00', '/index.html%00.js', '/%E0%A4%A', '/%', '/%zz', '/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd', '/..\\..\\package.json', '//etc/passwd', '/./index.html',
  '/app.js?x=%', '/src/web/../../package.json', '/%2e%2e%5c%2e%2e%5cpackage.json', '/index.html/', '/nope.js', '/a/b/c/d/e/f/g']

export function staticCases(): HttpCase[] {
  return [
    ...staticPaths.map((p): HttpCase => ({ class: 'static site', name: `GET ${p}`, build: (ctx) => simple(ctx, 'GET', p) })),
    { class: 'static site', name: 'GET a 10 KB path', build: (ctx) => simple(ctx, 'GET', `/${'a'.repeat(10 * KB)}`) },
    { class: 'static site', name: 'GET a 100 KB path', build: (ctx) => simple(ctx, 'GET', `/${'a'.repeat(100 * KB)}`) },
    { class: 'static site', name: 'GET 2,000 "../" segments', build: (ctx) => simple(ctx, 'GET', `/${'../'.repeat(2000)}etc/passwd`) },
    { class: 'static site', name: 'GET a raw NUL in the path', build: (ctx) => simple(ctx, 'GET', '/index.html\u0000') },
    { class: 'static site', name: 'POST /app.js', build: (ctx) => simple(ctx, 'POST', '/app.js', [], 'x') },
  ]
}

const badLines = ['GET', 'GET /', 'GET / HTTP/9.9', 'GET / HTTP/1.1 extra', 'GET  /  HTTP/1.1', 'get / HTTP/1.1', 'FOO / HTTP/1.1', 'TRACE / HTTP/1.1', `${'G'.repeat(5000)} / HTTP/1.1`,
  'GET / HTTP/1.0', '/ GET HTTP/1.1', 'GET /\tHTTP/1.1', '\u00ff\u00fe / HTTP/1.1', 'PRI * HTTP/2.0']

export function requestLineCases(): HttpCase[] {
  return [
    ...badLines.map((line): HttpCase => ({ class: 'malformed request line', name: JSON.stringify(line.slice(0, 30)), build: (ctx) => ({ chunks: [request([line, host(ctx), 'Connection: close'])] }) })),
    { class: 'malformed request line', name: 'HTTP/0.9 "GET /"', build: () => ({ chunks: [Buffer.from('GET /\r\n\r\n')] }) },
    { class: 'malformed request line', name: 'no Host header', build: () => ({ chunks: [request(['GET / HTTP/1.1', 'Connection: close'])] }) },
    { class: 'malformed request line', name: 'blank lines only', build: () => ({ chunks: [Buffer.from('\r\n\r\n\r\n\r\n')] }) },
    { class: 'malformed request line', name: '1 KB of random bytes', build: (ctx) => ({ chunks: [ctx.rng.bytes(1024)] }) },
    { class: 'malformed request line', name: 'a TLS ClientHello', build: () => ({ chunks: [Buffer.from('16030100a5010000a10303', 'hex')] }) },
  ]
}

export function absoluteFormCases(): HttpCase[] {
  const targets = (ctx: HttpContext) => [`http://127.0.0.1:${ctx.port}/`, 'http://evil.example/prod', 'https://evil.example/app.js', '*', `http://127.0.0.1:${ctx.port}/prod`, 'http://[::1', 'http://user:pw@h/', 'file:///etc/passwd']
  const names = ['the emulator itself', 'another host, /prod', 'https, another host', '*', 'the stage, absolute', 'an unclosed IPv6 host', 'userinfo', 'file: URL']
  return [
    ...names.map((name, i): HttpCase => ({ class: 'absolute-form URL', name: `GET ${name}`, build: (ctx) => simple(ctx, 'GET', targets(ctx)[i]) })),
    { class: 'absolute-form URL', name: 'OPTIONS *', build: (ctx) => simple(ctx, 'OPTIONS', '*') },
    { class: 'absolute-form URL', name: 'CONNECT 127.0.0.1:22', build: (ctx) => simple(ctx, 'CONNECT', '127.0.0.1:22') },
  ]
}

const badHeaders: readonly (readonly [string, string])[] = [
  ['a space in a header name', 'Bad Name: x'],
  ['a NUL in a value', 'X-A: a\u0000b'],
  ['DEL in a value', 'X-A: a\u007fb'],
  ['8-bit bytes in a value', 'X-A: \u00e9\u00ff'],
  ['a line without a colon', 'NoColonHere'],
  ['an obsolete folded line', 'X-A: a\r\n  folded'],
  ['an empty header name', ': x'],
  ['a bare CR in a value', 'X-A: a\rb'],
  ['two Host headers', 'Host: other.example'],
  ['Transfer-Encoding: gzip, chunked', 'Transfer-Encoding: gzip, chunked'],
]

export function headerCases(): HttpCase[] {
  return [
    ...badHeaders.map(([name, header]): HttpCase => ({ class: 'invalid header bytes', name, build: (ctx) => ({ chunks: [request(['GET /app.js HTTP/1.1', host(ctx), 'Connection: close', header])] }) })),
    { class: 'invalid header bytes', name: 'bare LF line endings', build: (ctx) => ({ chunks: [Buffer.from(`GET /app.js HTTP/1.1\n${host(ctx)}\nConnection: close\n\n`)] }) },
    { class: 'huge headers', name: 'one 20 KB header', build: (ctx) => simple(ctx, 'GET', '/app.js', [`X-Big: ${'x'.repeat(20 * KB)}`]) },
    { class: 'huge headers', name: '2,000 headers', build: (ctx) => simple(ctx, 'GET', '/app.js', Array.from({ length: 2000 }, (_, i) => `X-H${i}: ${i}`)) },
    { class: 'huge headers', name: 'a 100 KB cookie', build: (ctx) => simple(ctx, 'GET', '/', [`Cookie: a=${'x'.repeat(100 * KB)}`]) },
    { class: 'huge headers', name: 'a 15 KB header (under the limit)', build: (ctx) => simple(ctx, 'GET', '/app.js', [`X-Big: ${'x'.repeat(15 * KB)}`]) },
  ]
}

/** Upgrade headers, every one of them replaceable: `key`, `version`, `upgrade`, `connection` (null drops it). */
function upgrade(ctx: HttpContext, target: string, o: { key?: string | null; version?: string | null; upgrade?: string; connection?: string; method?: string; body?: string } = {}) {
  const lines = [`${o.method ?? 'GET'} ${target} HTTP/1.1`, host(ctx), `Upgrade: ${o.upgrade ?? 'websocket'}`, `Connection: ${o.connection ?? 'Upgrade'}`]
  if (o.key !== null) lines.push(`Sec-WebSocket-Key: ${o.key ?? ctx.rng.bytes(16).toString('base64')}`)
  if (o.version !== null) lines.push(`Sec-WebSocket-Version: ${o.version ?? '13'}`)
  if (o.body !== undefined) lines.push(`Content-Length: ${o.body.length}`)
  return { chunks: [request(lines, o.body)] }
}

export function upgradeCases(): HttpCase[] {
  const withToken = (ctx: HttpContext) => `/prod?token=${encodeURIComponent(ctx.token)}`
  const headerVariants: readonly (readonly [string, Parameters<typeof upgrade>[2]])[] = [
    ['all valid', {}],
    ['no Sec-WebSocket-Key', { key: null }],
    ['Sec-WebSocket-Key "abc"', { key: 'abc' }],
    ['a 15-byte Sec-WebSocket-Key', { key: Buffer.alloc(15).toString('base64') }],
    ['no Sec-WebSocket-Version', { version: null }],
    ['Sec-WebSocket-Version 8', { version: '8' }],
    ['Sec-WebSocket-Version abc', { version: 'abc' }],
    ['Upgrade: foo', { upgrade: 'foo' }],
    ['Connection: keep-alive', { connection: 'keep-alive' }],
    ['method POST', { method: 'POST' }],
    ['a body', { body: 'hello' }],
  ]
  const cases: HttpCase[] = []
  for (const [name, o] of headerVariants) {
    cases.push({ class: 'upgrade on the stage', name: `${name}, with a token`, build: (ctx) => upgrade(ctx, withToken(ctx), o) })
    cases.push({ class: 'upgrade on the stage', name: `${name}, no token`, build: (ctx) => upgrade(ctx, '/prod', o) })
  }
  cases.push({ class: 'upgrade on the stage', name: 'a garbage token', build: (ctx) => upgrade(ctx, '/prod?token=%E0%A4%A') })
  cases.push({ class: 'upgrade on the stage', name: 'a 10 KB token', build: (ctx) => upgrade(ctx, `/prod?token=${'a'.repeat(10 * KB)}`) })
  const paths = ['/', '/app.js', '/prod/@connections/x', '/other', '/prod/x', '//', '///', '//x', '/%', '/%E0%A4%A', 'http://x/prod', '*', 'https://', 'http://[::1', '/prod#frag']
  for (const p of paths) cases.push({ class: 'upgrade elsewhere', name: `upgrade to ${JSON.stringify(p)}`, build: (ctx) => upgrade(ctx, p) })
  return cases
}

export function slowCases(): HttpCase[] {
  const line = (ctx: HttpContext) => `GET /app.js HTTP/1.1\r\n${host(ctx)}\r\nConnection: close\r\n\r\n`
  return [
    { class: 'slow and half requests', name: 'half a request line, closed after 300 ms', build: () => ({ chunks: [Buffer.from('GET /app')], abortAfterMs: 300 }) },
    { class: 'slow and half requests', name: 'headers without the blank line, closed after 500 ms', build: (ctx) => ({ chunks: [Buffer.from(`GET /app.js HTTP/1.1\r\n${host(ctx)}\r\n`)], abortAfterMs: 500 }) },
    { class: 'slow and half requests', name: 'a request one byte every 10 ms', build: (ctx) => ({ chunks: [...Buffer.from(line(ctx))].map((b) => Buffer.from([b])), gapMs: 10 }) },
    { class: 'slow and half requests', name: 'a request in three parts 400 ms apart', build: (ctx) => ({ chunks: [Buffer.from(line(ctx).slice(0, 10)), Buffer.from(line(ctx).slice(10, 30)), Buffer.from(line(ctx).slice(30))], gapMs: 400 }) },
    { class: 'slow and half requests', name: 'half an upgrade, closed after 300 ms', build: (ctx) => ({ chunks: [Buffer.from(`GET /prod HTTP/1.1\r\n${host(ctx)}\r\nUpgrade: websocket\r\n`)], abortAfterMs: 300 }) },
    { class: 'slow and half requests', name: 'an upgrade with a token, closed during the handshake', build: (ctx) => ({ ...upgrade(ctx, `/prod?token=${encodeURIComponent(ctx.token)}`), abortAfterMs: 5 }) },
    { class: 'slow and half requests', name: 'a Cognito call with half its body, closed after 300 ms', build: (ctx) => ({ chunks: [request(['POST / HTTP/1.1', host(ctx), 'X-Amz-Target: AWSCognitoIdentityProviderService.InitiateAuth', 'Content-Length: 100'], '{"ClientId":')], abortAfterMs: 300 }) },
    { class: 'slow and half requests', name: 'connect and send nothing, closed after 300 ms', build: () => ({ chunks: [], abortAfterMs: 300 }) },
  ]
}
