// The page with a pool that requires MFA (chat:mfa REQUIRED), in Chromium: a new account signs in
// with SRP, is walked through adding an authenticator (its key shown, an otpauth:// link), proves it
// with a code (a wrong one first: said, and the step stays open), reaches the chat; signed out and in
// again, it is asked for a code. Codes come from an independent TOTP library (otpauth).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import { Secret, TOTP } from 'otpauth'
import { userPool } from '../src/user-pool.ts'
import { launchChromium } from './browser.ts'
import { expectedErrors, finish, online, signUpPerson, timeout } from './browser-people.ts'
import { projectRoot, startChatEmulator } from './chat-emulator.ts'

const codeAt = (secret: string, offsetSteps = 0, at = Date.now()) => new TOTP({ secret: Secret.fromBase32(secret) }).generate({ timestamp: at + offsetSteps * 30_000 })
const wrongCode = (right: string) => (right === '123456' ? '654321' : '123456')

test('MFA required: the page sets up an authenticator on first sign-in, and asks for its code on the next', async (t) => {
  const emu = await startChatEmulator({ web: { dir: join(projectRoot, 'src/web') }, notice: () => {}, userPool: { ...userPool, mfa: 'REQUIRED' } })
  const browser = await launchChromium()
  t.after(async () => {
    await browser.close()
    await emu.close()
  })
  const password = 'Two-steps-42x'
  // Signing up signs in: the pool's MFA_SETUP comes first, so "online" is not reached yet.
  const person = await signUpPerson(browser, emu.httpUrl, 'mfa-page', password, undefined, { waitOnline: false })
  const { page } = person
  await page.getByRole('heading', { name: 'Set up two-step sign-in' }).waitFor({ timeout })
  const shown = await page.locator('#challenge-secret').textContent({ timeout })
  const secret = (shown ?? '').replace(/\s/g, '')
  assert.match(secret, /^[A-Z2-7]{32}$/)
  assert.equal(await page.locator('#challenge-link').getAttribute('href'), `otpauth://totp/DynamoWave%20Chat%3Amfa-page?secret=${secret}&issuer=DynamoWave%20Chat`)

  const at = Date.now()
  await page.getByLabel('6-digit code').fill(wrongCode(codeAt(secret, 0, at)))
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.getByText('That code is wrong. Check your authenticator app and try again.').waitFor({ timeout })
  await page.getByLabel('6-digit code').fill(codeAt(secret, 0, at))
  await page.getByRole('button', { name: 'Verify' }).click()
  await online(page)

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('Username or email').fill('mfa-page')
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('heading', { name: 'Two-step sign-in' }).waitFor({ timeout })
  await page.getByLabel('6-digit code').fill(wrongCode(codeAt(secret, 1, at)))
  await page.getByRole('button', { name: 'Verify' }).click()
  await page.getByText('That code is wrong. Check it and try again.').waitFor({ timeout })
  // The step used for the set-up is spent: the next one signs in.
  await page.getByLabel('6-digit code').fill(codeAt(secret, 1, at))
  await page.getByRole('button', { name: 'Verify' }).click()
  await online(page)
  // The refused codes were answered 400 by Cognito, which Chromium logs.
  expectedErrors(person, /status of 400/)
  await finish(person)
})

test('MFA optional: a signed-in person turns two-step sign-in on from the page; the next sign-in asks for the code', async (t) => {
  const emu = await startChatEmulator({ web: { dir: join(projectRoot, 'src/web') }, notice: () => {} })
  const browser = await launchChromium()
  t.after(async () => {
    await browser.close()
    await emu.close()
  })
  const password = 'Opt-in-steps-42'
  const person = await signUpPerson(browser, emu.httpUrl, 'mfa-opt', password)
  const { page } = person
  await page.getByRole('button', { name: 'Two-step sign-in' }).click()
  await page.getByRole('heading', { name: 'Turn on two-step sign-in' }).waitFor({ timeout })
  await page.locator('#mfa-secret-row').waitFor({ timeout })
  const secret = ((await page.locator('#mfa-secret').textContent()) ?? '').replace(/\s/g, '')
  assert.match(secret, /^[A-Z2-7]{32}$/)
  const at = Date.now()
  await page.getByLabel('Code from the app').fill(wrongCode(codeAt(secret, 0, at)))
  await page.getByRole('button', { name: 'Turn on' }).click()
  await page.getByText('That code is wrong. Check your authenticator app and try again.').waitFor({ timeout })
  await page.getByLabel('Code from the app').fill(codeAt(secret, 0, at))
  await page.getByRole('button', { name: 'Turn on' }).click()
  await page.getByText('Two-step sign-in is on').waitFor({ timeout })

  await page.getByRole('button', { name: 'Sign out' }).click()
  await page.getByLabel('Username or email').fill('mfa-opt')
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('heading', { name: 'Two-step sign-in' }).waitFor({ timeout })
  await page.getByLabel('6-digit code').fill(codeAt(secret, 1, at))
  await page.getByRole('button', { name: 'Verify' }).click()
  await online(page)
  expectedErrors(person, /status of 400/)
  await finish(person)
})
