// The page, through the target's public URL only: two people sign in in their own browsers (SRP),
// meet in a room and chat, in real Chromium. Their accounts are made through the pool's API first (on
// a stage the deployer confirms them; a stage's sign-up form would wait for an emailed code).
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { Browser } from 'playwright-core'
import { launchChromium } from '../browser.ts'
import { finish, joinRoom, say, sees, signInPerson } from '../browser-people.ts'
import { passwordOf, signIn } from '../users.ts'
import { startTarget, type PublicTarget } from './target.ts'

let target: PublicTarget
let browser: Browser
before(async () => {
  target = await startTarget()
  browser = await launchChromium()
})
after(async () => {
  await browser?.close()
  await target?.close()
})

test('two people sign in through the page, join a room and chat', async () => {
  assert.ok(target.pageUrl, `the ${target.kind} target serves no page`)
  for (const name of ['page-ann', 'page-ben']) await signIn(target, name)
  const ann = await signInPerson(browser, target.pageUrl, 'page-ann', passwordOf('page-ann'))
  const ben = await signInPerson(browser, target.pageUrl, 'page-ben', passwordOf('page-ben'))
  await joinRoom(ann.page, 'pub-page')
  await joinRoom(ben.page, 'pub-page')
  await say(ann.page, 'hello from the page')
  await sees(ben.page, 'hello from the page')
  await say(ben.page, 'hello back')
  await sees(ann.page, 'hello back')
  await finish(ann, ben)
})
