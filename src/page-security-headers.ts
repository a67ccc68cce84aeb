// The security headers the chat page is served with, declared once: the emulator sends them with
// every file of src/web, and the stack's CloudFront response headers policy is built from them, so
// the page runs under the same Content-Security-Policy offline and on AWS. The page renders user
// text as text; this keeps any slip from running script or talking to anywhere but its own backend.

/** `connectSources`: the origins the page may talk to besides its own (its WebSocket API and Cognito). */
export function pageSecurityHeaders(connectSources: readonly string[]): Readonly<Record<string, string>> {
  const csp = [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    `connect-src ${["'self'", ...new Set(connectSources)].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ')
  return {
    'content-security-policy': csp,
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'x-frame-options': 'DENY',
  }
}
