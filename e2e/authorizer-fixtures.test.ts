// The emulator's `$connect` authorizer flow (spec §5.6, §6) with a fixture authorizer whose answer
// the client picks, on a fixture API that records what each event of a connection carries.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { api } from './fixtures/authorizer/api.ts'
import { startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { HandshakeRejected, TestClient } from './ws-client.ts'

const tenant = { 'X-Tenant': 'acme' }

async function fixture(t: { after: (fn: () => unknown) => void }): Promise<ChatEmulator> {
  const emu = await startChatEmulator({ api, tables: {} })
  t.after(() => emu.close())
  return emu
}

async function rejection(url: string, headers: Record<string, string> = tenant): Promise<HandshakeRejected> {
  const error = await TestClient.connect(url, { headers }).then(
    async (client) => {
      await client.close()
      return assert.fail(`the handshake to ${url} should have been rejected`)
    },
    (e: unknown) => e,
  )
  assert.ok(error instanceof HandshakeRejected, String(error))
  return error
}

const calls = (emu: ChatEmulator, fn: string) => emu.invocations.filter((e) => e.function === fn)

test('spec §6.9: an Allow lets $connect run, and the context, stringified, plus principalId rides on CONNECT, MESSAGE and DISCONNECT', async (t) => {
  const emu = await fixture(t)
  const client = await TestClient.connect(`${emu.url}?mode=allow`, { headers: tenant })
  client.send({ action: 'whoami' })
  const seen = await client.next<{ connectionId: string; events: Record<string, Record<string, unknown>> }>()
  const authorizer = { userId: 'u-1', tier: '3', admin: 'false', nothing: null, principalId: 'principal-1' }
  const { integrationLatency, ...connectRest } = seen.events.CONNECT
  assert.equal(typeof integrationLatency, 'number')
  assert.deepEqual(connectRest, authorizer)
  assert.deepEqual(seen.events.MESSAGE, authorizer)
  assert.deepEqual(
    calls(emu, 'authorize').map((e) => [e.routeKey, e.status]),
    [['$connect', 'allow']],
  )

  await client.close()
  await emu.waitFor((e) => e.routeKey === '$disconnect')
  const other = await TestClient.connect(`${emu.url}?mode=allow`, { headers: tenant })
  t.after(() => other.close())
  other.send({ action: 'whoami', of: seen.connectionId })
  const later = await other.next<{ events: Record<string, unknown> }>()
  assert.deepEqual(later.events.DISCONNECT, authorizer)
})

test('spec §6.4: the authorizer runs on every connect (no caching)', async (t) => {
  const emu = await fixture(t)
  const a = await TestClient.connect(`${emu.url}?mode=allow`, { headers: tenant })
  const b = await TestClient.connect(`${emu.url}?mode=allow`, { headers: tenant })
  t.after(() => Promise.all([a.close(), b.close()]))
  assert.equal(calls(emu, 'authorize').length, 2)
})

test('spec §6.6: a wildcard resource that covers the method ARN allows', async (t) => {
  const emu = await fixture(t)
  const client = await TestClient.connect(`${emu.url}?mode=allow-wildcard`, { headers: tenant })
  t.after(() => client.close())
  assert.deepEqual(
    calls(emu, 'recorder').map((e) => [e.routeKey, e.status]),
    [['$connect', '200']],
  )
})

test('spec §5.6: the authorizer answer decides the handshake status, and $connect is never reached', async (t) => {
  const emu = await fixture(t)
  const cases: [mode: string, status: number, body: string][] = [
    ['deny', 403, 'Forbidden'],
    ['allow-and-deny', 403, 'Forbidden'],
    ['allow-other-arn', 403, 'Forbidden'],
    ['allow-two-segments', 403, 'Forbidden'],
    ['unauthorized', 401, 'Unauthorized'],
    ['throw', 500, 'Internal server error'],
    ['object-context', 500, 'Internal server error'],
    ['array-context', 500, 'Internal server error'],
    ['big-context', 500, 'Internal server error'],
    ['no-principal', 500, 'Internal server error'],
    ['status-401', 500, 'Internal server error'],
  ]
  for (const [mode, status, message] of cases) {
    const rejected = await rejection(`${emu.url}?mode=${mode}`)
    assert.deepEqual([rejected.status, JSON.parse(rejected.body)], [status, { message }], mode)
  }
  assert.deepEqual(
    calls(emu, 'authorize').map((e) => e.status),
    cases.map(([, status]) => String(status)),
  )
  assert.deepEqual(calls(emu, 'recorder'), [])
  assert.equal(emu.connectionCount(), 0)
})

test('spec §6.3: a missing or empty identity source is 401 without invoking the authorizer; header names ignore case, query names do not', async (t) => {
  const emu = await fixture(t)
  const unauthorized = { status: 401, body: { message: 'Unauthorized' } }
  const cases: [query: string, headers: Record<string, string>][] = [
    ['', tenant],
    ['?mode=', tenant],
    ['?Mode=allow', tenant],
    ['?mode=allow', {}],
    ['?mode=allow', { 'X-Tenant': '' }],
  ]
  for (const [query, headers] of cases) {
    const rejected = await rejection(`${emu.url}${query}`, headers)
    assert.deepEqual({ status: rejected.status, body: JSON.parse(rejected.body) }, unauthorized, `${query} ${JSON.stringify(headers)}`)
  }
  assert.deepEqual(calls(emu, 'authorize'), [])

  const client = await TestClient.connect(`${emu.url}?mode=allow`, { headers: { 'x-tenant': 'acme' } })
  t.after(() => client.close())
  assert.equal(calls(emu, 'authorize').length, 1)
})

test('spec §6.3: stage-variable sources are missing without stage variables; context sources read the request context', async (t) => {
  const withSources = async (identitySource: string[]) => {
    const emu = await startChatEmulator({ api: { ...api, authorizer: { ...api.authorizer, identitySource } }, tables: {} })
    t.after(() => emu.close())
    return emu
  }
  const staged = await withSources(['stageVariables.tenant'])
  const rejected = await rejection(`${staged.url}?mode=allow`)
  assert.equal(rejected.status, 401)
  assert.deepEqual(calls(staged, 'authorize'), [])

  const contextual = await withSources(['context.identity.sourceIp', 'context.connectionId'])
  const client = await TestClient.connect(`${contextual.url}?mode=allow`)
  t.after(() => client.close())
  assert.equal(calls(contextual, 'authorize').length, 1)
  assert.equal((await rejection(`${contextual.url}?mode=deny`)).status, 403)
})
