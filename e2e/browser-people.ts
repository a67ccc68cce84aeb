// People using the page in real Chromium, for the browser tests: each in a browser context of their
// own, signed up through the page; what they do and see, with a timeout on every wait.
import assert from 'node:assert/strict'
import type { Browser, Page } from 'playwright-core'

export const timeout = 15_000

export interface Person {
  readonly page: Page
  readonly dialogs: string[]
  readonly errors: string[]
}

export async function signUpPerson(browser: Browser, pageUrl: string, username: string, password: string): Promise<Person> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 800 } })
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
  await page.getByRole('button', { name: 'Create an account' }).click({ timeout })
  await page.getByLabel('Username').fill(username)
  await page.getByLabel('Email', { exact: true }).fill(`${username}@example.test`)
  await page.getByLabel('Password').fill(password)
  await page.getByRole('button', { name: 'Create account' }).click()
  await online(page)
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

export async function joinRoom(page: Page, room: string): Promise<void> {
  await page.getByLabel('Join or create a room').fill(room)
  await page.getByRole('button', { name: 'Join', exact: true }).click()
  await page.locator('#conversation-title', { hasText: `# ${room}` }).waitFor({ timeout })
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

