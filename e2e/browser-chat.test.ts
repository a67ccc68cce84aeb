// The web client in real Chromium: two users in two browser contexts sign up through the page (with
// the email and the password the declared user pool wants, every unmet password rule listed at once),
// join a room, chat both ways, see each other's presence and typing; a reload keeps the history; a
// message that looks like HTML shows as text and runs nothing. Screenshots go to artifacts/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import { QueryCommand } from '@aws-sdk/lib-dynamodb'
import type { Browser } from 'playwright-core'
import { artifactsDir, launchChromium } from './browser.ts'
import { finish, joinRoom, messageTexts, online, say, sees, signUpPerson, timeout } from './browser-people.ts'
import { within } from './waiters.ts'
import { projectRoot, startChatEmulator, type ChatEmulator } from './chat-emulator.ts'

let emu: ChatEmulator
let browser: Browser
before(async () => {
  emu = await startChatEmulator({ web: { dir: join(projectRoot, 'src/web') } })
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await emu?.close()
})

const signUp = (username: string, password: string) => signUpPerson(browser, emu.httpUrl, username, password)

test('two people sign up, chat both ways with presence and typing, and keep their history across a reload', async () => {
  const alice = await signUp('web-alice', 'Correct-horse-9')
  const bob = await signUp('web-bob', 'Battery-staple-7')

  await joinRoom(alice.page, 'web-room')
  await joinRoom(bob.page, 'web-room')
  // Presence: each sees the other online in the room.
  await alice.page.getByRole('button', { name: 'Message web-bob directly' }).waitFor({ timeout })
  await bob.page.getByRole('button', { name: 'Message web-alice directly' }).waitFor({ timeout })
  assert.equal(await alice.page.locator('#members-title').textContent(), 'Online (2)')

  // Typing shows on the other side, then the message; Shift+Enter keeps a line break.
  await alice.page.getByLabel('Message', { exact: true }).pressSequentially('hello', { delay: 20 })
  await bob.page.locator('#typing', { hasText: 'web-alice is typing…' }).waitFor({ timeout })
  await alice.page.getByLabel('Message', { exact: true }).press('Shift+Enter')
  await alice.page.getByLabel('Message', { exact: true }).pressSequentially('bob', { delay: 5 })
  await alice.page.getByLabel('Message', { exact: true }).press('Enter')
  await sees(bob.page, 'hello')
  assert.ok((await messageTexts(bob.page)).includes('hello\nbob'))
  await bob.page.locator('#typing:empty').waitFor({ timeout })

  await say(bob.page, 'hi alice')
  await sees(alice.page, 'hi alice')
  await alice.page.screenshot({ path: join(artifactsDir, 'browser-chat-alice.png') })
  await bob.page.screenshot({ path: join(artifactsDir, 'browser-chat-bob.png') })

  // A reload keeps the session and the history.
  await alice.page.reload()
  await online(alice.page)
  await alice.page.locator('#conversation-title', { hasText: '# web-room' }).waitFor({ timeout })
  await sees(alice.page, 'hi alice')
  assert.deepEqual(await messageTexts(alice.page), ['hello\nbob', 'hi alice'])
  await alice.page.screenshot({ path: join(artifactsDir, 'browser-chat-after-reload.png') })

  await finish(alice, bob)
})

test('a message that looks like HTML is shown as text and runs nothing', async () => {
  const carol = await signUp('web-carol', 'Purple-monkey-3')
  const dave = await signUp('web-dave', 'Dishwasher-5x')
  await joinRoom(carol.page, 'web-xss')
  await joinRoom(dave.page, 'web-xss')
  const payload = '<img src=x onerror=alert(1)>'
  const scriptPayload = '<script>alert(2)</script><b>bold?</b>'
  await say(dave.page, payload)
  await say(dave.page, scriptPayload)
  await sees(carol.page, scriptPayload)
  await sees(carol.page, payload)

  for (const person of [carol, dave]) {
    assert.deepEqual(await messageTexts(person.page), [payload, scriptPayload])
    assert.equal(await person.page.locator('#message-list img, #message-list script, #message-list b').count(), 0)
  }
  await carol.page.screenshot({ path: join(artifactsDir, 'browser-xss.png') })
  // The same page on a phone-sized screen: the room list folds away behind its button.
  await carol.page.setViewportSize({ width: 390, height: 760 })
  await carol.page.locator('#room-list').waitFor({ state: 'hidden', timeout })
  await carol.page.getByRole('button', { name: 'Show rooms' }).click()
  await carol.page.locator('#room-list button[data-room="web-xss"]').waitFor({ timeout })
  // Let the slide-in finish so the screenshot shows where it ends.
  await carol.page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).transform === 'none', undefined, { timeout })
  await carol.page.screenshot({ path: join(artifactsDir, 'browser-narrow.png') })
  await finish(carol, dave)
})

test('direct messages, unread counts, editing and deleting, and catch-up after the connection drops', async () => {
  const erin = await signUp('web-erin', 'Erin-password-1')
  const frank = await signUp('web-frank', 'Frank-password-2')
  // The page's catch-up requests: lobby history after a point it knows to be complete.
  let catchUp: (() => void) | undefined
  const caughtUp = new Promise<void>((resolve) => (catchUp = resolve))
  erin.page.on('websocket', (ws) =>
    ws.on('framesent', (frame) => {
      const sent = JSON.parse(String(frame.payload))
      if (sent.action === 'history' && sent.room === 'lobby' && typeof sent.after === 'string') catchUp?.()
    }),
  )
  await joinRoom(erin.page, 'web-side')

  // Unread: frank talks in the lobby while erin reads another room.
  await frank.page.locator('#conversation-title', { hasText: '# lobby' }).waitFor({ timeout })
  await say(frank.page, 'lobby news')
  const lobbyButton = erin.page.locator('#room-list button[data-room="lobby"]')
  await lobbyButton.locator('.unread', { hasText: '1' }).waitFor({ timeout })
  // Other tests' users may still be leaving the lobby: the count is not this test's business.
  assert.match((await lobbyButton.getAttribute('aria-label')) ?? '', /^Room lobby, \d+ online, 1 unread$/)
  await lobbyButton.click()
  await sees(erin.page, 'lobby news')
  assert.equal(await lobbyButton.locator('.unread').count(), 0)

  // A direct message from the online list.
  await frank.page.getByRole('button', { name: 'Message web-erin directly' }).click()
  await frank.page.locator('#conversation-title', { hasText: 'web-erin' }).waitFor({ timeout })
  await say(frank.page, 'just between us')
  const dmButton = erin.page.locator('#direct-list button', { hasText: 'web-frank' })
  await dmButton.locator('.unread', { hasText: '1' }).waitFor({ timeout })
  await dmButton.click()
  await sees(erin.page, 'just between us')
  await say(erin.page, 'typo here')
  await sees(frank.page, 'typo here')

  // Edit then delete one's own message; the other side follows.
  const mine = erin.page.locator('#message-list li.own', { hasText: 'typo here' })
  await mine.hover()
  await mine.getByRole('button', { name: 'Edit message' }).click()
  const editor = erin.page.getByLabel('Edit message', { exact: true })
  await editor.fill('fixed here')
  await editor.press('Enter')
  const atFrank = frank.page.locator('#message-list li', { hasText: 'fixed here' })
  await atFrank.locator('.edited').waitFor({ timeout })
  const edited = erin.page.locator('#message-list li.own', { hasText: 'fixed here' })
  await edited.hover()
  await edited.getByRole('button', { name: 'Delete message' }).click()
  await edited.getByRole('button', { name: 'Confirm: delete message' }).click()
  await frank.page.locator('#message-list li.deleted', { hasText: 'This message was deleted.' }).waitFor({ timeout })
  await erin.page.screenshot({ path: join(artifactsDir, 'browser-direct.png') })

  // The server drops erin's connection; she reconnects and catches up on what she missed.
  await lobbyButton.click()
  const { Items = [] } = await emu.db.send(
    new QueryCommand({
      TableName: 'chat',
      KeyConditionExpression: 'pk = :p AND begins_with(sk, :c)',
      ExpressionAttributeValues: { ':p': 'ROOM#lobby', ':c': 'CONN#' },
    }),
  )
  const erinConnection = Items.find((item) => item.username === 'web-erin')?.connectionId
  assert.ok(erinConnection, 'erin is connected')
  const management = new ApiGatewayManagementApiClient({
    endpoint: emu.callbackUrl,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  })
  await management.send(new DeleteConnectionCommand({ ConnectionId: erinConnection }))
  management.destroy()
  await erin.page.locator('#status[data-status="offline"]').waitFor({ timeout })
  await frank.page.locator('#room-list button[data-room="lobby"]').click()
  await say(frank.page, 'while you were away')
  await erin.page.locator('#status[data-status="online"]').waitFor({ timeout })
  await sees(erin.page, 'while you were away')
  assert.deepEqual((await messageTexts(erin.page)).filter((t) => t === 'while you were away'), ['while you were away'])
  // The message may come live (the page was back in time) or with the catch-up; the catch-up comes either way.
  await within(caughtUp, timeout, 'the page to catch up on the lobby after reconnecting')

  await finish(erin, frank)
})

test('the sign-up form asks for an email and shows the declared password rules; Cognito’s refusals show; the email signs in', async () => {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(emu.httpUrl, { timeout })
  assert.equal(await page.locator('#auth-username-label').textContent(), 'Username or email')
  assert.equal(await page.locator('#auth-password-rules').isVisible(), false)
  await page.getByRole('button', { name: 'Create an account' }).click({ timeout })
  assert.equal(await page.locator('#auth-username-label').textContent(), 'Username')
  const rules = page.getByText('At least 12 characters, with a lower-case letter, an upper-case letter, a digit and a symbol such as ! ? - or #.')
  await rules.waitFor({ timeout })
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('aria-describedby'), 'auth-password-rules')
  assert.equal(await page.getByLabel('Email', { exact: true }).getAttribute('required'), '')

  // No email: the page asks before bothering Cognito. A weak password: every rule it misses at once.
  await page.getByLabel('Username').fill('web-gina')
  await page.getByLabel('Password', { exact: true }).fill('short')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.locator('#auth-error', { hasText: 'Enter your email address.' }).waitFor({ timeout })
  await page.getByLabel('Email', { exact: true }).fill('Gina@Example.test')
  // Typing again clears what the form said about the earlier attempt.
  assert.equal(await page.locator('#auth-error').textContent(), '')
  await page.getByRole('button', { name: 'Create account' }).click()
  await page.locator('#auth-error', { hasText: 'The password needs at least 12 characters, an upper-case letter, a digit and a symbol such as ! ? - or #.' }).waitFor({ timeout })
  await page.getByLabel('Password', { exact: true }).fill('Long-enough-pw-1')
  // The show-password toggle shows what was typed, and hides it again.
  await page.getByRole('button', { name: 'Show password' }).click()
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('type'), 'text')
  const hide = page.getByRole('button', { name: 'Hide password' })
  assert.equal(await hide.getAttribute('aria-pressed'), 'true')
  await hide.click()
  assert.equal(await page.getByLabel('Password', { exact: true }).getAttribute('type'), 'password')
  await page.getByRole('button', { name: 'Create account' }).click()
  await online(page)
  await page.locator('#me', { hasText: 'web-gina' }).waitFor({ timeout })

  // Signed out, she signs back in with her email in another capitalisation: the page still knows her username.
  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('Username or email').fill('gina@example.test')
  await page.getByLabel('Password', { exact: true }).fill('Long-enough-pw-1')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await online(page)
  assert.equal(await page.locator('#me').textContent(), 'web-gina')
  await page.screenshot({ path: join(artifactsDir, 'browser-sign-in-by-email.png') })
  assert.deepEqual(errors, [])
  await context.close()
})
