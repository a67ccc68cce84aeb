// Sign in, create an account, confirm it (when the pool asks for a code), through the Cognito API.
import { CognitoError } from './cognito.js'
import { errorText } from './error-text.js'

/**
 * @param {{ cognito: ReturnType<import('./cognito.js').cognitoClient>, session: import('./session.js').Session,
 *   onSignedIn: () => void }} deps
 */
export function showAuth({ cognito, session, onSignedIn }, message = '') {
  const $ = (id) => document.getElementById(id)
  const form = $('auth-form')
  let mode = 'signin' // 'signin' | 'signup' | 'confirm'

  const render = () => {
    $('auth-title').textContent = { signin: 'Sign in', signup: 'Create an account', confirm: 'Confirm your account' }[mode]
    $('auth-submit').textContent = { signin: 'Sign in', signup: 'Create account', confirm: 'Confirm and sign in' }[mode]
    $('auth-email-row').hidden = mode !== 'signup'
    $('auth-code-row').hidden = mode !== 'confirm'
    $('auth-switch-text').textContent = mode === 'signin' ? 'New here?' : 'Have an account?'
    $('auth-switch').textContent = mode === 'signin' ? 'Create an account' : 'Sign in instead'
    $('auth-password').autocomplete = mode === 'signin' ? 'current-password' : 'new-password'
  }
  const fail = (text) => {
    $('auth-error').textContent = text
  }

  $('auth').hidden = false
  $('chat').hidden = true
  fail(message)
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
    if (!username || !password) return fail('Enter a username and a password.')
    const button = $('auth-submit')
    button.disabled = true
    fail('')
    try {
      if (mode === 'signup') {
        const result = await cognito.signUp(username, password, $('auth-email').value.trim())
        if (!result.UserConfirmed) {
          mode = 'confirm'
          render()
          fail('We sent you a confirmation code.')
          $('auth-code').focus()
          return
        }
      } else if (mode === 'confirm') {
        await cognito.confirmSignUp(username, $('auth-code').value.trim())
      }
      await session.signIn(username, password)
      $('auth-password').value = ''
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
