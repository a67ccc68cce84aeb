// Real Chromium (Debian's /usr/bin/chromium) driven by playwright-core: never a browser download,
// and a missing browser fails the test rather than skipping it.
import { existsSync, mkdirSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { chromium, type Browser } from 'playwright-core'
import { chromiumPath } from './browser-path.ts'

// Not through chat-emulator.ts: the public suite (e2e/public/) uses browsers without an emulator.
export const artifactsDir = fileURLToPath(new URL('../artifacts', import.meta.url))

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(chromiumPath)) {
    throw new Error(`Chromium is not installed at ${chromiumPath}: \`npm test\` installs it when it may (e2e/ensure-chromium.ts), or run \`apt-get install -y chromium\``)
  }
  mkdirSync(artifactsDir, { recursive: true })
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-features=LocalNetworkAccessChecks',
    ],
  })
}
