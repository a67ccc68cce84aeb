// Issue 9, "no input stops it": malformed requests of every kind over the emulator's whole HTTP
// surface get a clear 4xx, never a crash and never an internal error; a real bug while serving one
// request is a logged 500 and nothing else notices.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { EmulatorNotice } from '../emulator/notices.ts'
import { projectRoot, startChatEmulator } from './chat-emulator.ts'
import { ok } from './product-client.ts'
import { httpRequest, rawRequest } from './raw-http.ts'
import { connectAs } from './users.ts'

const webDir = join(projectRoot, 'src/web')
const signed = { Authorization: 'AWS4-HMAC-SHA256 Credential=LOCAL/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=00' }
const wsKey = { Upgrade: 'websocket', Connection: 'Upgrade', 'Sec-WebSocket-Version': '13', 'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==' }
const cognitoCall = (op: string) => ({ 'X-Amz-Target': `AWSCognitoIdentityProviderService.${op}`, 'Content-Type': 'application/x-amz-json-1.1' })

test('malformed requests over the whole HTTP surface are answered 4xx; none reaches an error boundary and the chat goes on', async (t) => {
  const notices: EmulatorNotice[] = []
  const emu = await startChatEmulator({ web: { dir: webDir }, notice: (n) => notices.push(n) })
  t.after(() => emu.close())
  const port = Number(new URL(emu.httpUrl).port)
  const id = 'L0SM9cOFvHcCIhw='
  const cases: [what: string, request: string | Buffer, status: number | undefined][] = [
    ['bad escape in a page path', httpRequest('GET', '/%E0%A4%A'), 400],
    ['non-hex escape', httpRequest('GET', '/%zz'), 400],
    ['escape that decodes to NUL', httpRequest('GET', '/a%00b'), 400],
    ['bad escape on the stage path', httpRequest('GET', '/prod%ZZ'), 400],
    ['bad escape in a connection id', httpRequest('GET', '/prod/@connections/%E0%A4%A', signed), 400],
    ['asterisk form', httpRequest('GET', '*'), 400],
    ['a proxy tunnel', httpRequest('CONNECT', '127.0.0.1:80'), 405],
    ['garbage request line', 'GARBAGE\r\n\r\n', 400],
    ['control byte in a header', 'GET / HTTP/1.1\r\nHost: x\r\nX-Evil: a\x01b\r\n\r\n', 400],
    ['headers over 16 KB', httpRequest('GET', '/', { 'X-Big': 'a'.repeat(20_000) }), 431],
    ['traversal', httpRequest('GET', '/../../etc/passwd'), 404],
    ['encoded traversal', httpRequest('GET', '/%2e%2e/%2e%2e/etc/passwd'), 404],
    ['dotfile', httpRequest('GET', '/.git/config'), 404],
    ['a directory', httpRequest('GET', '/web'), 404],
    ['POST to a page', httpRequest('POST', '/index.html', {}, 'x'), 405],
    ['unsigned @connections call', httpRequest('DELETE', `/prod/@connections/${id}`), 403],
    ['@connections without the stage', httpRequest('GET', `/@connections/${id}`, signed), 403],
    ['malformed connection id', httpRequest('GET', '/prod/@connections/nope', signed), 400],
    ['@connections with an unknown method', httpRequest('PATCH', `/prod/@connections/${id}`, signed), 403],
    ['oversized post', httpRequest('POST', `/prod/@connections/${id}`, signed, 'x'.repeat(131073)), 413],
    ['plain GET of the stage', httpRequest('GET', '/prod'), 426],
    ['Cognito: broken JSON', httpRequest('POST', '/', cognitoCall('SignUp'), '{"Username":'), 400],
    ['Cognito: a JSON array', httpRequest('POST', '/', cognitoCall('InitiateAuth'), '[1,2]'), 400],
    ['Cognito: unknown operation', httpRequest('POST', '/', cognitoCall('AdminDisableUser'), '{}'), 400],
    ['Cognito: an administrator operation, unsigned', httpRequest('POST', '/', cognitoCall('AdminDeleteUser'), '{}'), 403],
    ['Cognito: wrong types', httpRequest('POST', '/', cognitoCall('InitiateAuth'), '{"AuthFlow":7,"ClientId":[]}'), 400],
    ['upgrade on a path with an empty segment', httpRequest('GET', '//', wsKey), 403],
    ['upgrade elsewhere', httpRequest('GET', '/index.html', wsKey), 403],
    ['upgrade with a bad escape', httpRequest('GET', '/prod?token=%E0%A4%A', wsKey), 401],
    ['upgrade without a key', httpRequest('GET', '/prod?token=x', { ...wsKey, 'Sec-WebSocket-Key': 'short' }), 400],
    ['upgrade to another protocol', httpRequest('GET', '/prod?token=x', { ...wsKey, Upgrade: 'h2c' }), 400],
    ['upgrade with an unknown version', httpRequest('GET', '/prod?token=x', { ...wsKey, 'Sec-WebSocket-Version': '99' }), 400],
    ['upgrade with a malformed extension offer', httpRequest('GET', '/prod?token=x', { ...wsKey, 'Sec-WebSocket-Extensions': 'permessage-deflate; ;;=' }), 400],
    ['upgrade by POST', httpRequest('POST', '/prod?token=x', wsKey), 405],
  ]
  for (const [what, request, status] of cases) {
    const response = await rawRequest(port, request)
    assert.equal(response.status, status, `${what}: ${response.status} ${response.body}`)
  }
  // Bodies cut short: Node's parser answers 400 for the early end; nothing is delivered or stored.
  for (const request of [
    httpRequest('POST', `/prod/@connections/${id}`, { ...signed, 'Content-Length': '5000' }, 'partial'),
    httpRequest('POST', '/', { ...cognitoCall('SignUp'), 'Content-Length': '5000' }, '{"Use'),
  ]) {
    assert.equal((await rawRequest(port, request, { hangUp: true })).status, 400)
  }
  // The authorizer never ran for a malformed handshake: ws refuses it before verifyClient.
  assert.deepEqual(emu.invocations.filter((e) => e.function === 'authorize').map((e) => e.status), ['401'])
  // An absolute-form target is a request like any other (RFC 9112 §3.2.2).
  const absolute = await rawRequest(port, httpRequest('GET', `http://127.0.0.1:${port}/app.js`))
  assert.equal(absolute.status, 200)
  assert.equal(absolute.headers['content-type'], 'text/javascript; charset=utf-8')

  assert.equal(emu.internalErrorCount(), 0)
  assert.deepEqual(notices, [])
  const alice = await connectAs(emu, 'alice')
  t.after(() => alice.close())
  assert.equal((await ok(alice, { action: 'joinroom', room: 'after-the-storm' })).memberCount, 1)
})

test('the page is served with its content types and security headers; connect-src names only the emulator', async (t) => {
  const emu = await startChatEmulator({ web: { dir: webDir } })
  t.after(() => emu.close())
  const port = Number(new URL(emu.httpUrl).port)
  const page = await rawRequest(port, httpRequest('GET', '/'))
  assert.equal(page.status, 200)
  assert.equal(page.headers['content-type'], 'text/html; charset=utf-8')
  const origin = emu.httpUrl.slice('http://'.length)
  assert.equal(
    page.headers['content-security-policy'],
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self' http://${origin} ws://${origin}; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  )
  assert.equal(page.headers['x-content-type-options'], 'nosniff')
  assert.equal(page.headers['x-frame-options'], 'DENY')
  for (const [path, type] of [
    ['/styles.css', 'text/css; charset=utf-8'],
    ['/favicon.svg', 'image/svg+xml'],
    ['/config.json', 'application/json'],
  ]) {
    assert.equal((await rawRequest(port, httpRequest('GET', path))).headers['content-type'], type, path)
  }
  const head = await rawRequest(port, httpRequest('HEAD', '/app.js'))
  assert.equal(head.status, 200)
  assert.equal(head.body, '')
})

test('a bug while serving one request is a logged 500 for that request; the emulator and its sockets go on', async (t) => {
  const notices: EmulatorNotice[] = []
  // JSON cannot carry a BigInt: serving /config.json throws inside the emulator, as a bug would.
  const emu = await startChatEmulator({ web: { dir: webDir, config: { broken: 1n } }, notice: (n) => notices.push(n) })
  t.after(() => emu.close())
  const alice = await connectAs(emu, 'alice')
  t.after(() => alice.close())
  const port = Number(new URL(emu.httpUrl).port)
  const broken = await rawRequest(port, httpRequest('GET', '/config.json'))
  assert.equal(broken.status, 500)
  assert.deepEqual(JSON.parse(broken.body), { message: 'Internal server error' })
  assert.equal(emu.internalErrorCount(), 1)
  assert.equal(notices.length, 1)
  assert.equal(notices[0].kind, 'internal-error')
  assert.match((notices[0] as { stack: string }).stack, /BigInt/)
  assert.equal((await rawRequest(port, httpRequest('GET', '/'))).status, 200)
  assert.equal((await ok(alice, { action: 'heartbeat' })).type, 'pong')
})
