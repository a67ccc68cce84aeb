// An account an administrator created (AdminCreateUser, a temporary password) signs in on the page,
// is asked to choose its own password (NEW_PASSWORD_REQUIRED) and, since the pool requires an email
// the administrator left out, its email; then it chats. In Chromium.
import { test } from 'node:test'
import { join } from 'node:path'
import { AdminCreateUserCommand, CognitoIdentityProviderClient } from '@aws-sdk/client-cognito-identity-provider'
import { launchChromium } from './browser.ts'
import { finish, online, timeout } from './browser-people.ts'
import { projectRoot, startChatEmulator } from './chat-emulator.ts'

test('the page takes an administrator-created account through choosing its password and giving its email', async (t) => {
  const emu = await startChatEmulator({ web: { dir: join(projectRoot, 'src/web') }, notice: () => {} })
  const browser = await launchChromium()
  const admin = new CognitoIdentityProviderClient({ endpoint: emu.cognito.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1 })
  t.after(async () => {
    admin.destroy()
    await browser.close()
    await emu.close()
  })
  await admin.send(new AdminCreateUserCommand({ UserPoolId: emu.cognito.userPoolId, Username: 'np-ann', TemporaryPassword: 'Temporary-pass-9', MessageAction: 'SUPPRESS' }))
  const context = await browser.newContext()
  const page = await context.newPage()
  const errors: string[] = []
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(emu.httpUrl, { timeout })
  await page.getByLabel('Username or email').fill('np-ann')
  await page.getByLabel('Password', { exact: true }).fill('Temporary-pass-9')
  await page.getByRole('button', { name: 'Sign in', exact: true }).click()
  await page.getByRole('heading', { name: 'Choose your password' }).waitFor({ timeout })
  await page.getByLabel('New password').fill('short')
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await page.locator('#challenge-error').filter({ hasText: /characters/ }).waitFor({ timeout })
  await page.getByLabel('New password').fill('Chosen-on-the-page-42')
  await page.getByLabel('Your email address').fill('np-ann@example.test')
  await page.getByRole('button', { name: 'Set password and sign in' }).click()
  await online(page)
  await finish({ page, dialogs: [], errors })
})
