// Issue 15, the conversation in real Chromium, at desktop and 390 px: one's own message is always in
// view and others' arrive behind a "new messages" marker while one reads older ones; a refused send
// stays in the conversation as "not sent" with Retry, and is delivered once when retried; errors
// show one at a time, dismissable, clear of the room header; the message list groups, separates
// days, shows relative times and makes http(s) links clickable safely (a `javascript:` URL stays
// text); a loading state instead of a blank first screen. Screenshots go to artifacts/.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { join } from 'node:path'
import type { Browser, Page } from 'playwright-core'
import { artifactsDir, launchChromium } from './browser.ts'
import { desktop, expectedErrors, finish, joinRoom, joinThroughPage, messageTexts, online, phone, say, sees, signUpPerson, timeout } from './browser-people.ts'
import { projectRoot, startChatEmulator, type ChatEmulator } from './chat-emulator.ts'
import { drop } from './connection-drop.ts'
import { all, ok, seen } from './product-client.ts'
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

/** Resolves once the message whose text is `text` is wholly inside the scrolled message box. */
const inView = (page: Page, text: string) =>
  page.waitForFunction(
    (wanted) => {
      const box = document.getElementById('messages')!.getBoundingClientRect()
      const item = [...document.querySelectorAll('#message-list li')].find((li) => li.querySelector('.text')?.textContent === wanted)
      const at = item?.getBoundingClientRect()
      return at !== undefined && at.top >= box.top - 1 && at.bottom <= box.bottom + 1
    },
    text,
    { timeout },
  )

const scrollTop = (page: Page) => page.locator('#messages').evaluate((box) => box.scrollTop)

for (const [size, viewport] of [['desktop', desktop], ['390 px', phone]] as const) {
  test(`${size}: sending scrolls to one's own message; others' messages show a "new messages" marker while one reads older ones`, async (t) => {
    const tag = viewport === phone ? 'p' : 'd'
    const room = `cv-scroll-${tag}`
    const reader = await signUpPerson(browser, emu.httpUrl, `cv-reader-${tag}`, 'Reading-older-1', viewport)
    await joinRoom(reader.page, room)
    const bot = await connectAs(emu, `cv-bot-${tag}`)
    t.after(() => bot.close())
    await ok(bot, { action: 'joinroom', room })
    // Within the sender's burst (rate-limit.ts): 25 messages of two lines each overflow either screen.
    for (let i = 0; i < 25; i++) await ok(bot, { action: 'sendmessage', room, text: `older ${i}\nsecond line` })
    await inView(reader.page, 'older 24\nsecond line')

    // Reading older messages: a new one from someone else does not move the view.
    await reader.page.locator('#messages').evaluate((box) => box.scrollTo(0, 200))
    const before = await scrollTop(reader.page)
    await ok(bot, { action: 'sendmessage', room, text: 'while you read' })
    await sees(reader.page, 'while you read')
    const marker = reader.page.getByRole('button', { name: 'New messages' })
    await marker.waitFor({ timeout })
    assert.equal(await scrollTop(reader.page), before)
    await reader.page.screenshot({ path: join(artifactsDir, `conversation-new-messages-${tag}.png`) })

    // One's own message: in view at once, wherever one was.
    await say(reader.page, 'my own words')
    await inView(reader.page, 'my own words')
    await marker.waitFor({ state: 'hidden', timeout })
    // The marker takes one to the newest too.
    await reader.page.locator('#messages').evaluate((box) => box.scrollTo(0, 0))
    await ok(bot, { action: 'sendmessage', room, text: 'one more' })
    await marker.click({ timeout })
    await inView(reader.page, 'one more')
    await finish(reader)
  })
}

test('a send refused while offline stays as "not sent" with Retry, and is delivered once when retried; errors show one at a time, dismissable, clear of the header', async (t) => {
  const cy = await signUpPerson(browser, emu.httpUrl, 'cv-cy', 'Not-lost-at-all-2')
  const connectionId = await joinThroughPage(emu, cy.page, 'cv-refuse')
  await joinRoom(cy.page, 'cv-other')
  await cy.page.locator('#room-list button[data-room="cv-refuse"]').click()
  const dee = await connectAs(emu, 'cv-dee')
  t.after(() => dee.close())
  await ok(dee, { action: 'joinroom', room: 'cv-refuse' })

  // The server drops the page and refuses its reconnects for now.
  const refuse = emu.faults.failInvocations({ function: 'connect', kind: 'crash', afterMs: 0, times: 1000 })
  await drop(emu, connectionId)
  await cy.page.locator('#status[data-status="offline"]').waitFor({ timeout })
  await say(cy.page, 'kept safe')
  const failed = cy.page.locator('#message-list li.pending.failed', { hasText: 'kept safe' })
  await failed.locator('.send-status', { hasText: 'Not sent' }).waitFor({ timeout })
  assert.equal(await cy.page.getByLabel('Message', { exact: true }).inputValue(), '')
  await cy.page.screenshot({ path: join(artifactsDir, 'conversation-not-sent.png') })

  // Errors: the same one twice is shown once; it never covers the headers, at either width; it can be dismissed.
  // (Joining a room while offline fails, twice, with one error.)
  for (const room of ['cv-offline-1', 'cv-offline-2']) {
    await cy.page.getByLabel('Join or create a room').fill(room)
    await cy.page.getByRole('button', { name: 'Join', exact: true }).click()
  }
  const notice = cy.page.locator('#notices .notice')
  await notice.waitFor({ timeout })
  assert.equal(await notice.count(), 1)
  for (const viewport of [desktop, phone]) {
    await cy.page.setViewportSize(viewport)
    const shown = (await notice.boundingBox())!
    for (const header of ['.topbar', '.conversation-header']) {
      const h = (await cy.page.locator(header).boundingBox())!
      assert.ok(shown.y >= h.y + h.height || shown.y + shown.height <= h.y, `the notice clears ${header} at ${viewport.width} px`)
    }
  }
  await cy.page.setViewportSize(desktop)
  await cy.page.getByRole('button', { name: 'Dismiss' }).click()
  await notice.waitFor({ state: 'detached', timeout })

  // Back online, Retry sends it: delivered once, shown once, no longer pending.
  refuse()
  await cy.page.locator('#status[data-status="online"]').waitFor({ timeout: 40_000 })
  await cy.page.locator('#room-list button[data-room="cv-refuse"]').click()
  await failed.getByRole('button', { name: 'Retry sending' }).click()
  await sees(cy.page, 'kept safe')
  await seen(dee, (f) => f.type === 'message' && f.text === 'kept safe')
  await cy.page.locator('#message-list li.pending').waitFor({ state: 'detached', timeout })
  assert.deepEqual(await messageTexts(cy.page), ['kept safe'])
  await ok(dee, { action: 'heartbeat' })
  assert.equal(all(dee, (f) => f.type === 'message' && f.text === 'kept safe').length, 1)
  expectedErrors(cy, /WebSocket connection to .* failed/)
  await finish(cy)
})

test('the message list groups one person, separates days, shows relative times, links http(s) safely and shows loading', async () => {
  const gus = await signUpPerson(browser, emu.httpUrl, 'cv-gus', 'Linking-safely-3')
  const hal = await signUpPerson(browser, emu.httpUrl, 'cv-hal', 'Reading-links-4')
  await joinRoom(gus.page, 'cv-links')
  const linked = 'see https://example.com/a?b=1, or (http://example.org/x) and javascript:alert(1)'
  await say(gus.page, linked)
  await say(gus.page, 'javascript:alert(document.cookie)')
  await sees(gus.page, 'javascript:alert(document.cookie)')

  // A visible loading state while the first history page is on its way: hal's page runs through a
  // proxy of its socket that holds the room's history replies back until told.
  const held: string[] = []
  let holding = true
  let release = () => {}
  await hal.page.routeWebSocket(/./, (ws) => {
    const server = ws.connectToServer()
    ws.onMessage((m) => server.send(m))
    const isHeld = (m: string) => holding && m.includes('"type":"history"') && m.includes('"room":"cv-links"')
    server.onMessage((m) => (isHeld(String(m)) ? held.push(String(m)) : ws.send(m)))
    release = () => {
      holding = false
      for (const m of held.splice(0)) ws.send(m)
    }
  })
  await hal.page.reload()
  await online(hal.page)
  await hal.page.getByLabel('Join or create a room').fill('cv-links')
  await hal.page.getByRole('button', { name: 'Join', exact: true }).click()
  await hal.page.locator('#history-state.loading', { hasText: 'Loading messages…' }).waitFor({ timeout })
  assert.equal(await hal.page.locator('#message-list li').count(), 0)
  release()
  await sees(hal.page, 'javascript:alert(document.cookie)')

  const links = hal.page.locator('#message-list a')
  assert.deepEqual(
    await links.evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.textContent, a.getAttribute('rel'), a.getAttribute('target')])),
    [
      ['https://example.com/a?b=1', 'https://example.com/a?b=1', 'noopener noreferrer', '_blank'],
      ['http://example.org/x', 'http://example.org/x', 'noopener noreferrer', '_blank'],
    ],
  )
  // The whole text is still there, as text; javascript: is never a link.
  assert.deepEqual(await messageTexts(hal.page), [linked, 'javascript:alert(document.cookie)'])
  assert.equal(await hal.page.locator('#message-list a[href^="javascript"]').count(), 0)

  // One person's consecutive messages share a header; one separator for today; relative time, exact on hover.
  const items = hal.page.locator('#message-list li.message')
  assert.deepEqual(await items.evaluateAll((lis) => lis.map((li) => li.classList.contains('grouped'))), [false, true])
  assert.deepEqual(await hal.page.locator('#message-list li.day-separator').allTextContents(), ['Today'])
  const time = items.first().locator('time')
  assert.equal(await time.textContent(), 'just now')
  assert.match((await time.getAttribute('title')) ?? '', /\d{1,2}:\d\d:\d\d/)
  await hal.page.screenshot({ path: join(artifactsDir, 'conversation-links.png') })
  await finish(gus, hal)
})
