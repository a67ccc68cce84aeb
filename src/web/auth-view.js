// Sign in, create an account, confirm it (when the pool asks for a code), through the Cognito API. The
// form follows the pool's declared rules from config.json: whether an email is required and may be used
// to sign in, and the password policy, shown next to the password field.
import { CognitoError } from './cognito.js'
import { errorText } from './error-text.js'
import { passwordRulesText, unmetPasswordRules } from './password-rules.js'
import { showChallenge } from './challenge-view.js'

/**
 * @param {{ cognito: ReturnType<import('./cognito.js').cognitoClient>, session: import('./session.js').Session,
 *   pool: { passwordPolicy?: object, requiredAttributes?: string[], signInAliases?: { email?: boolean } },
 *   onSignedIn: () => void }} deps
 */
/** `kind`: how `message` reads, 'error' or 'info' (a sign-out the person asked for is no error). */
export function showAuth({ cognito, session, pool, onSignedIn }, message = '', kind = 'error') {
  const $ = (id) => document.getElementById(id)
  const form = $('auth-form')
  const emailRequired = pool.requiredAttributes?.includes('email') ?? false
  const emailSignIn = pool.signInAliases?.email === true
  const rules = passwordRulesText(pool.passwordPolicy)
  let mode = 'signin' // 'signin' | 'signup' | 'confirm'

  const render = () => {
    $('auth-title').textContent = { signin: 'Sign in', signup: 'Create an account', confirm: 'Confirm your account' }[mode]
    $('auth-submit').textContent = { signin: 'Sign in', signup: 'Create account', confirm: 'Confirm and sign in' }[mode]
    $('auth-username-label').textContent = mode === 'signin' && emailSignIn ? 'Username or email' : 'Username'
    $('auth-email-row').hidden = mode !== 'signup'
    $('auth-email').required = mode === 'signup' && emailRequired
    $('auth-email-label').textContent = emailRequired ? 'Email' : 'Email (optional)'
    $('auth-password-rules').hidden = mode !== 'signup' || !rules
    $('auth-password-rules').textContent = rules
    $('auth-code-row').hidden = mode !== 'confirm'
    $('auth-switch-text').textContent = mode === 'signin' ? 'New here?' : 'Have an account?'
    $('auth-switch').textContent = mode === 'signin' ? 'Create an account' : 'Sign in instead'
    $('auth-password').autocomplete = mode === 'signin' ? 'current-password' : 'new-password'
  }
  const fail = (text, as = 'error') => {
    $('auth-error').textContent = text
    $('auth-error').dataset.kind = as
  }

  $('auth').hidden = false
  $('auth-form').hidden = false
  $('challenge-form').hidden = true
  $('chat').hidden = true
  fail(message, kind)
  // What the form says is about what was typed: typing again clears it.
  form.oninput = () => fail('')
  $('auth-show-password').onclick = () => {
    const show = $('auth-password').type === 'password'
    $('auth-password').type = show ? 'text' : 'password'
    // Named by its text ("Show password"), not aria-label: the field keeps the one label "Password".
    $('auth-show-password').firstChild.textContent = show ? 'Hide' : 'Show'
    $('auth-show-password').setAttribute('aria-pressed', String(show))
  }
  render()
  $('auth-username').focus()

  $('auth-switch').onclick = () => {
    mode = mode === 'signin' ? 'signup' : 'signin'
    fail('')
    render()
  }

  form.onsubmit = async (event) => {
    event.preventDefault()
    const username = $('auth-username').value.trim()
    const password = $('auth-password').value
    const email = $('auth-email').value.trim()
    if (!username || !password) return fail(mode === 'signin' && emailSignIn ? 'Enter your username or email and your password.' : 'Enter a username and a password.')
    if (mode === 'signup' && emailRequired && !email) return fail('Enter your email address.')
    // Every rule the password misses, before Cognito is asked (it names only the first).
    const unmet = mode === 'signup' ? unmetPasswordRules(pool.passwordPolicy, password) : ''
    if (unmet) return fail(unmet)
    const button = $('auth-submit')
    button.disabled = true
    fail('')
    try {
      if (mode === 'signup') {
        const result = await cognito.signUp(username, password, email)
        if (!result.UserConfirmed) {
          mode = 'confirm'
          render()
          fail('We sent you a confirmation code.', 'info')
          $('auth-code').focus()
          return
        }
      } else if (mode === 'confirm') {
        await cognito.confirmSignUp(username, $('auth-code').value.trim())
      }
      const challenge = await session.signIn(username, password)
      $('auth-password').value = ''
      if (challenge) {
        const again = (text) => showAuth({ cognito, session, pool, onSignedIn }, text)
        return showChallenge({ cognito, session, challenge, pool, onSignedIn, onRestart: again })
      }
      $('auth').hidden = true
      onSignedIn()
    } catch (error) {
      if (error instanceof CognitoError && error.type === 'UserNotConfirmedException') {
        mode = 'confirm'
        render()
        return fail('Confirm your account with the code we sent you.')
      }
      fail(errorText(error))
    } finally {
      button.disabled = false
    }
  }
}
