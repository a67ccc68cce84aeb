// People using the page in real Chromium, for the browser tests: each in a browser context of their
// own, signed up through the page; what they do and see, with a timeout on every wait.
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'
import type { ChatEmulator } from './chat-emulator.ts'

export const timeout = 15_000

export interface Person {
  readonly page: Page
  readonly dialogs: string[]
  readonly errors: string[]
}

/** The desktop size the tests use; `phone` is a 390 px wide one. */
export const desktop = { width: 1200, height: 800 }
export const phone = { width: 390, height: 760 }

/** `waitOnline: false` when the pool asks for more than the password first (MFA). */
export async function signUpPerson(browser: Browser, pageUrl: string, username: string, password: string, viewport = desktop, options: { waitOnline?: boolean } = {}): Promise<Person> {
  const person = await openPage(browser, pageUrl, viewport)
  const { page } = person
  await page.getByRole('button', { name: 'Create an account' }).click({ timeout })
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.test`)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  if (options.waitOnline !== false) await online(page)
  return person
}

/** Someone with an account, in a browser of its own (another browser, or a private window). */
export async function signInPerson(browser: Browser, pageUrl: string, username: string, password: string, viewport = desktop): Promise<Person> {
  const person = await openPage(browser, pageUrl, viewport)
  await person.page.getByLabel('Username or email').fill(username)
  await person.page.getByLabel('Password', { exact: true }).fill(password)
  await person.page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await online(person.page)
  return person
}

async function openPage(browser: Browser, pageUrl: string, viewport: { width: number; height: number }): Promise<Person> {
  const context = await browser.newContext({ viewport })
  const page = await context.newPage()
  const dialogs: string[] = []
  const errors: string[] = []
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`)
    void dialog.dismiss()
  })
  page.on('pageerror', (error) => errors.push(error.message))
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  await page.goto(pageUrl, { timeout })
  return { page, dialogs, errors }
}

/** Console errors the test caused on purpose (a refused handshake, a refused refresh): there, and then set aside. */
export function expectedErrors(person: Person, pattern: RegExp): void {
  const expected = person.errors.filter((error) => pattern.test(error))
  assert.ok(expected.length > 0, `no console error like ${pattern}`)
  person.errors.splice(0, person.errors.length, ...person.errors.filter((error) => !pattern.test(error)))
}

/** No dialog opened and no script error happened on any page; then their browser contexts close. */
export async function finish(...people: Person[]): Promise<void> {
  assert.deepEqual(people.flatMap((p) => p.dialogs), [])
  assert.deepEqual(people.flatMap((p) => p.errors), [])
  for (const person of people) await person.page.context().close()
}

export async function online(page: Page): Promise<void> {
  await page.locator('#status[data-status="online"]').waitFor({ timeout })
  await page.locator('#conversation-title').filter({ hasText: '#' }).waitFor({ timeout })
}

/** On a phone the room list is a drawer: opened first. */
export async function showRooms(page: Page): Promise<void> {
  const toggle = page.getByRole('button', { name: 'Show rooms' })
  if ((await toggle.isVisible()) && (await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click()
  await page.locator('#sidebar').waitFor({ timeout })
}

export async function joinRoom(page: Page, room: string): Promise<void> {
  await showRooms(page)
  await page.getByLabel('Join or create a room').fill(room)
  await page.getByRole('button', { name: 'Join', exact: true }).click()
  await page.locator('#conversation-title', { hasText: `# ${room}` }).waitFor({ timeout })
}

/** Joins through the page and resolves with the page's connection id, once the join is stored. */
export async function joinThroughPage(emu: ChatEmulator, page: Page, room: string): Promise<string> {
  const mark = emu.invocations.length
  await joinRoom(page, room)
  const joined = await emu.waitFor((e) => e.routeKey === 'joinroom' && e.status === 'ok' && emu.invocations.indexOf(e) >= mark, timeout)
  return joined.connectionId
}

export async function say(page: Page, text: string): Promise<void> {
  const box = page.getByLabel('Message', { exact: true })
  await box.fill(text)
  await box.press('Enter')
}

export const messageTexts = (page: Page) => page.locator('#message-list li .text').allTextContents()

export async function sees(page: Page, text: string): Promise<void> {
  await page.locator('#message-list li .text', { hasText: text }).first().waitFor({ timeout })
}

