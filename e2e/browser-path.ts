// Where the browser tests find Chromium: CHROMIUM_PATH, or Debian's package.
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
