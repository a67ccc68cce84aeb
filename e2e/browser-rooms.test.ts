// Issue 15, rooms and the phone layout in real Chromium: a room someone creates appears in the others'
// lists without a reload; the rooms one joined follow the account into another browser, and leaving
// one there takes it off; the list is searchable, its counts labelled; the lobby has no Leave; the
// room-name rules show before one types; an empty room that expired leaves the list and a form error goes once one types again. At 390 px the
// conversation header comes right under the top bar, the online list and the room list are drawers
// with a backdrop and a close control, and the composer's hint fits. Screenshots go to artifacts/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { artifactsDir, launchChromium } from './browser.ts'
import { desktop, finish, joinRoom, online, phone, showRooms, signInPerson, signUpPerson, timeout } from './browser-people.ts'
import { UpdateCommand } from '@aws-sdk/lib-dynamodb'
import { projectRoot, startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { ok } from './product-client.ts'
import { connectAs } from './users.ts'

let emu: ChatEmulator
let browser: Browser
before(async () => {
  emu = await startChatEmulator({ web: { dir: join(projectRoot, 'src/web') }, notice: () => {} })
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await emu?.close()
})

const roomButton = (page: Page, room: string) => page.locator(`#room-list button[data-room="${room}"]`)
const roomNames = (page: Page) => page.locator('#room-list button').evaluateAll((bs) => bs.map((b) => (b as HTMLElement).dataset.room))

test('a new room appears in the others’ lists at once; the rooms one joined follow the account into another browser; the list is searchable and labelled', async () => {
  const eve = await signUpPerson(browser, emu.httpUrl, 'rm-eve', 'Rooms-follow-me-1')
  const fay = await signUpPerson(browser, emu.httpUrl, 'rm-fay', 'Rooms-appear-live-2')
  await joinRoom(eve.page, 'rm-new-room')
  // fay never reloads: the room is there, not joined, with its count in words.
  const atFay = roomButton(fay.page, 'rm-new-room')
  await atFay.waitFor({ timeout })
  assert.equal(await atFay.getAttribute('class'), 'conversation-item not-joined')
  assert.equal(await atFay.locator('.count').textContent(), '1 online')
  assert.equal(await atFay.getAttribute('aria-label'), 'Room rm-new-room, 1 online')

  // Search narrows the list; nothing found says so, and how to create it.
  await fay.page.getByLabel('Search rooms').fill('NEW-ro')
  assert.deepEqual(await roomNames(fay.page), ['rm-new-room'])
  await fay.page.getByLabel('Search rooms').fill('rm-nothing')
  assert.deepEqual(await roomNames(fay.page), [])
  await fay.page.getByText('No room matches “rm-nothing”. Join it below to create it.').waitFor({ timeout })
  await fay.page.getByLabel('Search rooms').fill('')
  await atFay.waitFor({ timeout })

  // An empty room that expired (nobody joined or wrote there for days; here its expiry is moved
  // into the past) leaves the list the next time the list is read: when someone searches it.
  const bot = await connectAs(emu, 'rm-bot')
  await ok(bot, { action: 'joinroom', room: 'rm-empty' })
  await ok(bot, { action: 'leaveroom', room: 'rm-empty' })
  await bot.close()
  await roomButton(fay.page, 'rm-empty').waitFor({ timeout })
  await emu.db.send(new UpdateCommand({ TableName: 'chat', Key: { pk: 'ROOM#rm-empty', sk: 'META' }, UpdateExpression: 'SET #ttl = :past', ExpressionAttributeNames: { '#ttl': 'ttl' }, ExpressionAttributeValues: { ':past': Math.floor(Date.now() / 1000) - 60 } }))
  await fay.page.getByLabel('Search rooms').blur()
  await fay.page.getByLabel('Search rooms').focus()
  await roomButton(fay.page, 'rm-empty').waitFor({ state: 'detached', timeout })
  await atFay.waitFor({ timeout })

  // Another browser (a private window) of eve's: her room is joined there too, without her doing anything.
  const eveElsewhere = await signInPerson(browser, emu.httpUrl, 'rm-eve', 'Rooms-follow-me-1')
  await roomButton(eveElsewhere.page, 'rm-new-room').and(eveElsewhere.page.locator(':not(.not-joined)')).waitFor({ timeout })
  // The lobby has no Leave; a room has.
  await roomButton(eveElsewhere.page, 'lobby').click()
  await eveElsewhere.page.locator('#conversation-title', { hasText: '# lobby' }).waitFor({ timeout })
  assert.equal(await eveElsewhere.page.getByRole('button', { name: 'Leave' }).isVisible(), false)
  await roomButton(eveElsewhere.page, 'rm-new-room').click()
  await eveElsewhere.page.locator('#conversation-title', { hasText: '# rm-new-room' }).waitFor({ timeout })
  // Counted once however many browsers she has it open in.
  assert.equal(await eveElsewhere.page.locator('#conversation-meta').textContent(), '1 online')
  // Leaving there: the first browser, opened again, has it no more (still listed, not joined).
  await eveElsewhere.page.getByRole('button', { name: 'Leave' }).click()
  await roomButton(eveElsewhere.page, 'rm-new-room').and(eveElsewhere.page.locator('.not-joined')).waitFor({ timeout })
  await eve.page.reload()
  await online(eve.page)
  await roomButton(eve.page, 'rm-new-room').and(eve.page.locator('.not-joined')).waitFor({ timeout })
  await fay.page.screenshot({ path: join(artifactsDir, 'rooms-live-desktop.png') })
  await finish(eve, fay, eveElsewhere)
})

test('room-name rules show before one types; a bad name is refused in the form, and the error goes once one types again', async () => {
  const gil = await signUpPerson(browser, emu.httpUrl, 'rm-gil', 'Room-rules-shown-3')
  await gil.page.getByText('1–64 letters, digits, “-” or “_”.').waitFor({ timeout })
  await gil.page.getByLabel('Join or create a room').fill('not a room!')
  await gil.page.getByRole('button', { name: 'Join', exact: true }).click()
  const error = gil.page.locator('#join-error')
  await error.filter({ hasText: 'Room names are 1–64 letters, digits, “-” or “_”.' }).waitFor({ timeout })
  assert.equal(await gil.page.getByLabel('Join or create a room').getAttribute('aria-invalid'), 'true')
  await gil.page.getByLabel('Join or create a room').fill('a-room')
  assert.equal(await error.textContent(), '')
  assert.equal(await gil.page.locator('#notices .notice').count(), 0)
  await finish(gil)
})

test('390 px: the room header comes right under the top bar; the online list and the rooms are drawers with a backdrop and a close control; the composer hint fits', async () => {
  const hal = await signUpPerson(browser, emu.httpUrl, 'rm-hal', 'Phone-layout-4', phone)
  await joinRoom(hal.page, 'rm-phone-room-with-a-long-name')
  const box = async (selector: string) => (await hal.page.locator(selector).boundingBox())!
  const top = await box('.topbar')
  const header = await box('.conversation-header')
  assert.ok(Math.abs(header.y - (top.y + top.height)) <= 1, `the header (${header.y}) sits right under the top bar (${top.y + top.height})`)
  assert.ok(header.x >= 0 && header.x + header.width <= phone.width + 0.5, 'the header fits the width')
  // Picking the room closed the drawer it was picked in; the online list is one too.
  await hal.page.locator('#sidebar').waitFor({ state: 'hidden', timeout })
  assert.equal(await hal.page.locator('#members').isVisible(), false)

  // The composer's placeholder fits its box.
  const fits = await hal.page.locator('#message-input').evaluate((input: HTMLTextAreaElement) => {
    const style = getComputedStyle(input)
    const context = document.createElement('canvas').getContext('2d')!
    context.font = `${style.fontSize} ${style.fontFamily}`
    const room = input.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight)
    return { text: context.measureText(input.placeholder).width, room }
  })
  assert.ok(fits.text <= fits.room, `placeholder ${fits.text} px in ${fits.room} px`)

  // The online list: opened from the header, closed by its close control.
  await hal.page.getByRole('button', { name: '1 online', exact: true }).click()
  await hal.page.locator('#members').getByText('rm-hal (you)').waitFor({ timeout })
  await hal.page.locator('#backdrop').waitFor({ timeout })
  await hal.page.waitForFunction(() => getComputedStyle(document.getElementById('members')!).transform === 'none', undefined, { timeout })
  await hal.page.screenshot({ path: join(artifactsDir, 'rooms-phone-members.png') })
  await hal.page.getByRole('button', { name: 'Close the online list' }).click()
  await hal.page.locator('#members').waitFor({ state: 'hidden', timeout })
  await hal.page.locator('#backdrop').waitFor({ state: 'hidden', timeout })

  // The rooms: closed by the backdrop, then by the close control.
  await showRooms(hal.page)
  await hal.page.locator('#backdrop').waitFor({ timeout })
  await hal.page.waitForFunction(() => getComputedStyle(document.getElementById('sidebar')!).transform === 'none', undefined, { timeout })
  await hal.page.screenshot({ path: join(artifactsDir, 'rooms-phone-drawer.png') })
  // A long room name is cut short: every row's count stays inside the drawer.
  const drawer = await box('#sidebar')
  for (const count of await hal.page.locator('#room-list .count').all()) {
    const at = (await count.boundingBox())!
    assert.ok(at.x + at.width <= drawer.x + drawer.width, `${await count.textContent()} inside the drawer`)
  }
  const headerButtons = await hal.page.locator('.conversation-header button:visible').evaluateAll((bs) => bs.map((b) => b.getBoundingClientRect().height))
  assert.ok(headerButtons.every((h) => h < 40), `header buttons on one line: ${headerButtons}`)
  await hal.page.locator('#backdrop').click({ position: { x: phone.width - 20, y: phone.height / 2 } })
  await hal.page.locator('#sidebar').waitFor({ state: 'hidden', timeout })
  await showRooms(hal.page)
  await hal.page.getByRole('button', { name: 'Close rooms' }).click()
  await hal.page.locator('#sidebar').waitFor({ state: 'hidden', timeout })
  await hal.page.screenshot({ path: join(artifactsDir, 'rooms-phone.png') })

  // At desktop width the same page has columns, and no drawer controls.
  await hal.page.setViewportSize(desktop)
  await hal.page.locator('#members').getByText('rm-hal (you)').waitFor({ timeout })
  for (const control of ['Show rooms', 'Close rooms', 'Close the online list', '1 online']) {
    assert.equal(await hal.page.getByRole('button', { name: control, exact: true }).isVisible(), false, control)
  }
  await hal.page.screenshot({ path: join(artifactsDir, 'rooms-desktop.png') })
  await finish(hal)
})
