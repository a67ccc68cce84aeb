// `npm test` runs this first: the browser tests need a Chromium, and a fresh machine has none. It
// uses CHROMIUM_PATH or Debian's /usr/bin/chromium when there is one; otherwise it installs Debian's
// package when it may (root, or sudo without a password); otherwise it says what to do and fails,
// so the browser tests are never skipped.
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { chromiumPath } from './browser-path.ts'

function run(command: string, args: string[]): boolean {
  console.log(`ensure-chromium: ${command} ${args.join(' ')}`)
  return spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0
}

function canInstall(): { readonly via: string[] } | undefined {
  if (!existsSync('/usr/bin/apt-get')) return undefined
  if (process.getuid?.() === 0) return { via: [] }
  try {
    execFileSync('sudo', ['-n', 'true'], { stdio: 'ignore' })
    return { via: ['sudo'] }
  } catch {
    return undefined
  }
}

function ensure(): void {
  if (existsSync(chromiumPath)) return
  if (process.env.CHROMIUM_PATH) {
    throw new Error(`CHROMIUM_PATH is ${process.env.CHROMIUM_PATH}, and there is no browser there`)
  }
  const installer = canInstall()
  if (!installer) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath} and it is not installed; this user cannot install it ` +
        '(no root, no password-less sudo, or no apt-get). Install it once with `sudo apt-get install -y chromium`, ' +
        'or point CHROMIUM_PATH at a Chromium or Chrome binary, then run `npm test` again.',
    )
  }
  const apt = (args: string[]) => (installer.via.length > 0 ? run('sudo', ['-n', 'apt-get', ...args]) : run('apt-get', args))
  // A fresh image often has no package lists yet: install, and update first only when that fails.
  if (!apt(['install', '-y', '-qq', 'chromium']) && !(apt(['update', '-qq']) && apt(['install', '-y', '-qq', 'chromium']))) {
    throw new Error('Installing Debian\'s chromium package failed (output above); install it by hand, or set CHROMIUM_PATH')
  }
  if (!existsSync(chromiumPath)) throw new Error(`apt-get installed chromium, but there is nothing at ${chromiumPath}`)
}

try {
  ensure()
} catch (error) {
  console.error(`ensure-chromium: ${(error as Error).message}`)
  process.exit(1)
}
