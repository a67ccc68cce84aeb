// Issue 10, the page: signing out revokes the refresh token and closes the socket; an ID token that
// expires while the socket is open changes nothing until the next connect, which refreshes first (or
// goes back to sign-in when Cognito refuses); a catch-up after a drop pages until the cursor ends,
// whatever arrives live meanwhile.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { InitiateAuthCommand, RevokeTokenCommand } from '@aws-sdk/client-cognito-identity-provider'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Page } from 'playwright-core'
import { launchChromium } from './browser.ts'
import { expectedErrors, finish, joinThroughPage, messageTexts, say, sees, signUpPerson, timeout } from './browser-people.ts'
import { projectRoot, startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { drop } from './connection-drop.ts'
import { ok } from './product-client.ts'
import { cognitoClient, connectAs } from './users.ts'

type T = { after: (fn: () => unknown) => void }

async function setUp(t: T, overrides: Parameters<typeof startChatEmulator>[0] = {}) {
  const emu = await startChatEmulator({ web: { dir: join(projectRoot, 'src/web') }, notice: () => {}, ...overrides })
  const browser = await launchChromium()
  t.after(async () => {
    await browser.close()
    await emu.close()
  })
  return { emu, browser }
}

const stored = (page: Page) => page.evaluate(() => JSON.parse(localStorage.getItem('dynamowave.session') ?? 'null') as { idToken: string; refreshToken: string; expiresAt: number } | null)

/** The connection ids the page has had in `room`, from the room's items. */
async function connectionsOf(emu: ChatEmulator, username: string, room: string): Promise<string[]> {
  const { Items = [] } = await emu.db.send(
    new QueryCommand({ TableName: 'chat', KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)', ExpressionAttributeValues: { ':p': `ROOM#${room}`, ':c': 'CONN#' } }),
  )
  return Items.filter((i) => i.username === username).map((i) => i.connectionId as string)
}


test('signing out says so, revokes the refresh token at Cognito and closes the socket', async (t) => {
  const { emu, browser } = await setUp(t)
  const gil = await signUpPerson(browser, emu.httpUrl, 'ses-gil', 'Signing-out-42')
  const connectionId = await joinThroughPage(emu, gil.page, 'ses-out')
  const { refreshToken } = (await stored(gil.page))!
  await gil.page.getByRole('button', { name: 'Sign out' }).click()
  await gil.page.locator('#auth-form').waitFor({ timeout })
  await gil.page.getByText('You are signed out.').waitFor({ timeout })
  // Said as news, not as an error.
  assert.equal(await gil.page.locator('#auth-error').getAttribute('data-kind'), 'info')
  assert.equal(await stored(gil.page), null)
  await emu.waitFor((e) => e.routeKey === '$disconnect' && e.connectionId === connectionId)
  const cognito = cognitoClient(emu)
  t.after(() => cognito.destroy())
  await assert.rejects(
    cognito.send(new InitiateAuthCommand({ ClientId: emu.cognito.clientId, AuthFlow: 'REFRESH_TOKEN_AUTH', AuthParameters: { REFRESH_TOKEN: refreshToken } })),
    (error: Error) => error.name === 'NotAuthorizedException' && error.message === 'Refresh Token has been revoked',
  )
  await finish(gil)
})

test('an ID token that expires while the socket is open: chat goes on, the next connect refreshes first, and a refused refresh signs out', async (t) => {
  // Tokens for 4 seconds: the page refreshes them ahead of time, and before every connect.
  const { emu, browser } = await setUp(t, { cognito: { tokenLifetimes: { idTokenSeconds: 4, accessTokenSeconds: 4 } } })
  const hal = await signUpPerson(browser, emu.httpUrl, 'ses-hal', 'Expiring-token-7')
  const connectionId = await joinThroughPage(emu, hal.page, 'ses-exp')
  const first = (await stored(hal.page))!
  // API Gateway authorizes once, at $connect (spec §6.1): the open socket outlives its token.
  await hal.page.waitForFunction((expiresAt) => Date.now() > expiresAt + 500, first.expiresAt, { timeout })
  await say(hal.page, 'still here')
  await sees(hal.page, 'still here')
  assert.deepEqual(await connectionsOf(emu, 'ses-hal', 'ses-exp'), [connectionId])
  // The server drops the socket: the page connects again with a token it refreshed, not the old one.
  const authorized = emu.invocations.length
  await drop(emu, connectionId)
  const allowed = await emu.waitFor((e) => e.function === 'authorize' && e.status === 'allow' && emu.invocations.indexOf(e) >= authorized, timeout)
  assert.notEqual(allowed.connectionId, connectionId)
  await hal.page.locator('#status[data-status="online"]').waitFor({ timeout })
  assert.notEqual((await stored(hal.page))!.idToken, first.idToken)
  // Its rooms are joined again on the new connection.
  await emu.waitFor((e) => e.routeKey === 'joinroom' && e.connectionId === allowed.connectionId && e.status === 'ok', timeout)
  // Cognito refuses the refresh token now (signed out elsewhere): the page's next refresh, before
  // the token runs out, ends at sign-in.
  const cognito = cognitoClient(emu)
  t.after(() => cognito.destroy())
  await cognito.send(new RevokeTokenCommand({ ClientId: emu.cognito.clientId, Token: (await stored(hal.page))!.refreshToken }))
  await hal.page.getByText('Your session has expired. Please sign in again.').waitFor({ timeout })
  await hal.page.locator('#auth-form').waitFor({ timeout })
  // The refused refresh, on the console.
  expectedErrors(hal, /status of 400/)
  await finish(hal)
})

test('after a drop the page catches up on more than a page of history, while messages keep arriving live', async (t) => {
  const { emu, browser } = await setUp(t)
  const ivy = await signUpPerson(browser, emu.httpUrl, 'ses-ivy', 'Catching-up-8')
  const connectionId = await joinThroughPage(emu, ivy.page, 'ses-catch')
  const senders = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => connectAs(emu, `ses-send${i}`)))
  t.after(() => Promise.all(senders.map((s) => s.close())))
  await Promise.all(senders.map((s) => ok(s, { action: 'joinroom', room: 'ses-catch' })))
  await say(ivy.page, 'before the drop')
  await sees(ivy.page, 'before the drop')
  // While ivy is away, her connects fail ($connect crashes), so she stays away until it is switched off.
  const refuse = emu.faults.failInvocations({ function: 'connect', kind: 'crash', afterMs: 0, times: 1000 })
  await drop(emu, connectionId)
  await ivy.page.locator('#status[data-status="offline"]').waitFor({ timeout })
  const texts: string[] = []
  const sendAll = (from: number, count: number) =>
    Promise.all(senders.map(async (sender, s) => {
      for (let i = from + s; i < from + count; i += senders.length) {
        texts.push(`m${i}`)
        await ok(sender, { action: 'sendmessage', room: 'ses-catch', text: `m${i}` }, 15_000)
      }
    }))
  await sendAll(0, 150)
  refuse()
  // And more while she reconnects and catches up.
  await sendAll(150, 30)
  await ivy.page.locator('#status[data-status="online"]').waitFor({ timeout: 40_000 })
  await sees(ivy.page, 'm179')
  await ivy.page.waitForFunction((n) => document.querySelectorAll('#message-list li .text').length >= n, texts.length + 1, { timeout })
  const shown = await messageTexts(ivy.page)
  assert.deepEqual(texts.filter((text) => !shown.includes(text)), [])
  assert.equal(shown.length, new Set(shown).size, 'no message is shown twice')
  // Chromium reports each refused handshake on the console; those were on purpose.
  expectedErrors(ivy, /WebSocket connection to .* failed: .*502/)
  await finish(ivy)
})
