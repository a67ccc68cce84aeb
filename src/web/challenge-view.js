// The sign-in steps after the password that the pool may ask for (cognito.js `Challenge`):
// - SOFTWARE_TOKEN_MFA: the 6-digit code of the person's authenticator app;
// - MFA_SETUP (the pool requires MFA and the account has no authenticator yet): the secret key to add
//   to an authenticator app (grouped for typing, and as an otpauth:// link for apps on this device),
//   then its first code.
// - NEW_PASSWORD_REQUIRED (an account an administrator created): the person's own password, and an
//   email when the pool requires one the account lacks.
// A wrong code keeps the step open for another try; a step left too long goes back to sign-in.
import { CognitoError } from './cognito.js'
import { errorText } from './error-text.js'
import { passwordRulesText, unmetPasswordRules } from './password-rules.js'

const issuer = 'DynamoWave Chat'

/**
 * @param {{ cognito: ReturnType<import('./cognito.js').cognitoClient>, session: import('./session.js').Session,
 *   challenge: import('./cognito.js').Challenge, pool?: { passwordPolicy?: object }, onSignedIn: () => void, onRestart: (message: string) => void }} deps
 */
export function showChallenge({ cognito, session, challenge, pool = {}, onSignedIn, onRestart }) {
  const $ = (id) => document.getElementById(id)
  const form = $('challenge-form')
  let current = challenge
  const fail = (text) => void ($('challenge-error').textContent = text)
  const setup = current.name === 'MFA_SETUP'
  const newPassword = current.name === 'NEW_PASSWORD_REQUIRED'
  const needsEmail = newPassword && (current.parameters.requiredAttributes ?? '').includes('userAttributes.email')

  $('auth-form').hidden = true
  form.hidden = false
  $('challenge-title').textContent = setup ? 'Set up two-step sign-in' : newPassword ? 'Choose your password' : 'Two-step sign-in'
  $('challenge-text').textContent = setup
    ? 'This account needs an authenticator app (such as Google Authenticator, 1Password or Authy). Add the key below to it, then enter the 6-digit code it shows.'
    : newPassword
      ? 'You signed in with a temporary password. Choose your own to continue.'
      : 'Enter the 6-digit code from your authenticator app.'
  $('challenge-code-row').hidden = newPassword
  $('challenge-password-row').hidden = !newPassword
  $('challenge-email-row').hidden = !needsEmail
  $('challenge-password-rules').textContent = passwordRulesText(pool.passwordPolicy)
  $('challenge-password').value = ''
  $('challenge-submit').textContent = newPassword ? 'Set password and sign in' : 'Verify'
  $('challenge-secret-row').hidden = true
  $('challenge-code').value = ''
  fail('')
  form.oninput = () => fail('')

  const back = (message) => {
    form.hidden = true
    $('auth-form').hidden = false
    onRestart(message)
  }
  $('challenge-cancel').onclick = () => back('')

  const expired = (error) => error instanceof CognitoError && error.type === 'NotAuthorizedException'
  if (setup) {
    $('challenge-submit').disabled = true
    cognito
      .associateAuthenticator(current)
      .then(({ secret, challenge: next }) => {
        current = next
        $('challenge-secret').textContent = secret.match(/.{1,4}/g).join(' ')
        const label = encodeURIComponent(`${issuer}:${current.username}`)
        $('challenge-link').setAttribute('href', `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`)
        $('challenge-secret-row').hidden = false
        $('challenge-submit').disabled = false
        $('challenge-code').focus()
      })
      .catch((error) => (expired(error) ? back('That took too long. Sign in again.') : fail(errorText(error))))
  } else {
    $(newPassword ? 'challenge-password' : 'challenge-code').focus()
  }

  form.onsubmit = async (event) => {
    event.preventDefault()
    const code = $('challenge-code').value.replace(/\s/g, '')
    const password = $('challenge-password').value
    const email = $('challenge-email').value.trim()
    if (newPassword) {
      const unmet = unmetPasswordRules(pool.passwordPolicy, password)
      if (!password || unmet) return fail(unmet || 'Choose a password.')
      if (needsEmail && !email) return fail('Enter your email address.')
    } else if (!/^\d{6}$/.test(code)) return fail('Enter the 6 digits your authenticator app shows.')
    $('challenge-submit').disabled = true
    try {
      const outcome = newPassword
        ? await cognito.answerNewPassword(current, password, needsEmail ? { email } : {})
        : setup
          ? await cognito.finishAuthenticatorSetup(current, code)
          : await cognito.answerCode(current, code)
      const next = session.complete(outcome)
      if (next) return showChallenge({ cognito, session, challenge: next, pool, onSignedIn, onRestart })
      form.hidden = true
      $('auth-form').hidden = false
      $('auth').hidden = true
      onSignedIn()
    } catch (error) {
      if (expired(error)) return back('That took too long. Sign in again.')
      $('challenge-code').select()
      fail(errorText(error))
    } finally {
      $('challenge-submit').disabled = false
    }
  }
}
