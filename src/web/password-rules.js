// The user pool's password policy in plain words, shown next to the password field when people sign
// up. The policy comes from config.json (src/user-pool.ts on every host), so the text never drifts
// from what Cognito enforces.

/**
 * @param {{ minLength: number, requireLowercase: boolean, requireUppercase: boolean, requireDigits: boolean,
 *   requireSymbols: boolean } | undefined} policy
 * @returns {string} '' when the config carries no policy
 */
export function passwordRulesText(policy) {
  if (!policy || typeof policy.minLength !== 'number') return ''
  const needs = [
    policy.requireLowercase && 'a lower-case letter',
    policy.requireUppercase && 'an upper-case letter',
    policy.requireDigits && 'a digit',
    policy.requireSymbols && 'a symbol such as ! ? - or #',
  ].filter(Boolean)
  const length = `At least ${policy.minLength} characters`
  if (needs.length === 0) return `${length}.`
  const list = needs.length === 1 ? needs[0] : `${needs.slice(0, -1).join(', ')} and ${needs.at(-1)}`
  return `${length}, with ${list}.`
}
