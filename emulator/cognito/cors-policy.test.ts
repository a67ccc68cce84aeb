import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CorsPolicy } from './cors-policy.ts'

const allowedBy = (policy: CorsPolicy, origins: string[]) => origins.filter((o) => policy.headersFor(o)['access-control-allow-origin'] === o)

test('on a loopback host the emulator’s port is allowed under every loopback name, and nothing else', () => {
  const candidates = ['http://127.0.0.1:3001', 'http://localhost:3001', 'http://[::1]:3001', 'http://localhost:3002', 'https://localhost:3001', 'http://127.0.0.2:3001', 'http://evil.example', 'null']
  const expected = ['http://127.0.0.1:3001', 'http://localhost:3001', 'http://[::1]:3001']
  for (const endpoint of ['http://127.0.0.1:3001', 'http://localhost:3001', 'http://[::1]:3001', 'http://0.0.0.0:3001']) {
    const own = endpoint.includes('0.0.0.0') ? [...expected, 'http://0.0.0.0:3001'] : expected
    assert.deepEqual(allowedBy(new CorsPolicy(endpoint), [...candidates, 'http://0.0.0.0:3001']), own, endpoint)
  }
  assert.deepEqual(allowedBy(new CorsPolicy('http://chat.internal:8080'), ['http://chat.internal:8080', 'http://localhost:8080', 'http://chat.internal']), ['http://chat.internal:8080'])
})

test('configured origins are added, in their serialized form; anything that is not an origin is refused at start', () => {
  const policy = new CorsPolicy('http://127.0.0.1:3001', ['http://LocalHost:5173/', 'https://app.example.test'])
  assert.deepEqual(allowedBy(policy, ['http://localhost:5173', 'https://app.example.test', 'http://127.0.0.1:3001', 'http://app.example.test']), [
    'http://localhost:5173',
    'https://app.example.test',
    'http://127.0.0.1:3001',
  ])
  for (const bad of ['*', 'localhost:5173', 'http://localhost:5173/app', 'http://localhost:5173?x=1', 'file:///tmp/page.html', 'http://user:pw@localhost:5173']) {
    assert.throws(() => new CorsPolicy('http://127.0.0.1:3001', [bad]), { message: `allowedOrigins: ${JSON.stringify(bad)} is not an origin such as http://localhost:5173` }, bad)
  }
})

test('an allowed origin gets the echo and the exposed headers; a foreign or missing one only Vary', () => {
  const policy = new CorsPolicy('http://127.0.0.1:3001')
  assert.deepEqual(policy.headersFor('http://localhost:3001'), {
    vary: 'Origin',
    'access-control-allow-origin': 'http://localhost:3001',
    'access-control-expose-headers': 'x-amzn-RequestId, x-amzn-ErrorType, x-amzn-ErrorMessage, Date',
  })
  assert.deepEqual(policy.headersFor('http://evil.example'), { vary: 'Origin' })
  assert.deepEqual(policy.headersFor(undefined), { vary: 'Origin' })
  assert.deepEqual(policy.headersFor('*'), { vary: 'Origin' })
})
