// The user pool's password policy in plain words, shown next to the password field when people sign
// up, and every rule a password misses, so a weak one is refused with all its reasons at once. The
// policy comes from config.json (src/user-pool.ts on every host), so the text never drifts from what
// Cognito enforces.

/**
 * @typedef {{ minLength: number, requireLowercase: boolean, requireUppercase: boolean, requireDigits: boolean,
 *   requireSymbols: boolean }} PasswordPolicy
 */

/** Cognito's symbols (its password policy documentation lists them). */
const symbols = /[\^$*.[\]{}()?"!@#%&/\\,><':;|_~`=+\- ]/

/** @param {PasswordPolicy | undefined} policy @returns {string} '' when the config carries no policy */
export function passwordRulesText(policy) {
  if (!policy || typeof policy.minLength !== 'number') return ''
  const needs = rules(policy).map((r) => r.text)
  const length = `At least ${policy.minLength} characters`
  if (needs.length === 0) return `${length}.`
  return `${length}, with ${list(needs)}.`
}

/** What `password` lacks, in words ('' when it meets the policy, or there is none). */
export function unmetPasswordRules(policy, password) {
  if (!policy || typeof policy.minLength !== 'number') return ''
  const unmet = [...(password.length < policy.minLength ? [`at least ${policy.minLength} characters`] : []), ...rules(policy).filter((r) => !r.test.test(password)).map((r) => r.text)]
  return unmet.length === 0 ? '' : `The password needs ${list(unmet)}.`
}

function rules(policy) {
  return [
    policy.requireLowercase && { text: 'a lower-case letter', test: /[a-z]/ },
    policy.requireUppercase && { text: 'an upper-case letter', test: /[A-Z]/ },
    policy.requireDigits && { text: 'a digit', test: /[0-9]/ },
    policy.requireSymbols && { text: 'a symbol such as ! ? - or #', test: symbols },
  ].filter(Boolean)
}

const list = (items) => (items.length === 1 ? items[0] : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`)
