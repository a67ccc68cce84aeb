// Turning two-step sign-in on, for a signed-in person, when the pool's MFA is OPTIONAL: a new
// authenticator key (grouped, and as an otpauth:// link), then the app's first code, which proves it
// and turns it on (AssociateSoftwareToken, VerifySoftwareToken and SetUserMFAPreference with the
// access token). From the next sign-in the page asks for a code (challenge-view.js).
import { errorText } from './error-text.js'

const issuer = 'DynamoWave Chat'

/**
 * @param {{ cognito: ReturnType<import('./cognito.js').cognitoClient>, session: import('./session.js').Session,
 *   notify: (text: string, kind?: string) => void }} deps
 */
export function wireAuthenticatorDialog({ cognito, session, notify }) {
  const $ = (id) => document.getElementById(id)
  const dialog = $('mfa-dialog')
  const fail = (text) => void ($('mfa-error').textContent = text)
  $('mfa-close').onclick = () => dialog.close()
  $('turn-on-mfa').hidden = false

  $('turn-on-mfa').onclick = async () => {
    fail('')
    $('mfa-code').value = ''
    $('mfa-secret-row').hidden = true
    $('mfa-submit').disabled = true
    dialog.showModal()
    try {
      await session.freshIdToken()
      const secret = await cognito.associateWithToken(session.current.accessToken)
      $('mfa-secret').textContent = secret.match(/.{1,4}/g).join(' ')
      const label = encodeURIComponent(`${issuer}:${session.current.username}`)
      $('mfa-link').setAttribute('href', `otpauth://totp/${label}?secret=${secret}&issuer=${encodeURIComponent(issuer)}`)
      $('mfa-secret-row').hidden = false
      $('mfa-submit').disabled = false
      $('mfa-code').focus()
    } catch (error) {
      fail(errorText(error))
    }
  }

  $('mfa-form').onsubmit = async (event) => {
    event.preventDefault()
    const code = $('mfa-code').value.replace(/\s/g, '')
    if (!/^\d{6}$/.test(code)) return fail('Enter the 6 digits your authenticator app shows.')
    $('mfa-submit').disabled = true
    try {
      await cognito.enableAuthenticator(session.current.accessToken, code)
      dialog.close()
      notify('Two-step sign-in is on: from now on, signing in asks for a code from your authenticator app.', 'info')
    } catch (error) {
      $('mfa-code').select()
      fail(errorText(error))
    } finally {
      $('mfa-submit').disabled = false
    }
  }
}
