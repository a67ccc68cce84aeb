import { test } from 'node:test'
import assert from 'node:assert/strict'
import { CognitoError } from './cognito-error.ts'
import { confirmSignUpInput, initiateAuthInput, signUpInput } from './operation-inputs.ts'

const clientId = 'abcdefghijklmnopqrstuvwxyz'
const signUp = (changes: Record<string, unknown>) => signUpInput(clientId, { ClientId: clientId, Username: 'alice', Password: 'Pw-alice-7x-chat', ...changes })
const confirm = (changes: Record<string, unknown>) => confirmSignUpInput(clientId, { ClientId: clientId, Username: 'alice', ConfirmationCode: '123456', ...changes })
const initiate = (changes: Record<string, unknown>) => initiateAuthInput(clientId, { ClientId: clientId, AuthFlow: 'USER_PASSWORD_AUTH', ...changes })

/** Cognito's answer to a request that breaks the model: one InvalidParameterException listing every violation. */
const refused = (...violations: string[]) => (error: unknown) => {
  assert.ok(error instanceof CognitoError)
  const n = violations.length
  assert.deepEqual([error.type, error.message], ['InvalidParameterException', `${n} validation error${n === 1 ? '' : 's'} detected: ${violations.join('; ')}`])
  return true
}
const at = (member: string, constraint: string) => `Value at '${member}' failed to satisfy constraint: Member must ${constraint}`
const atQuoted = (value: string, member: string, constraint: string) => `Value '${value}' at '${member}' failed to satisfy constraint: Member must ${constraint}`
const atMost = (n: number) => `have length less than or equal to ${n}`
const atLeast1 = 'have length greater than or equal to 1'
const namePattern = 'satisfy regular expression pattern: [\\p{L}\\p{M}\\p{S}\\p{N}\\p{P}]+'
const nonSpacePattern = 'satisfy regular expression pattern: [\\S]+'

test('a valid request parses into its members', () => {
  assert.deepEqual(signUp({ UserAttributes: [{ Name: 'email', Value: 'a@example.test' }] }), {
    username: 'alice',
    password: 'Pw-alice-7x-chat',
    userAttributes: [{ Name: 'email', Value: 'a@example.test' }],
  })
  assert.deepEqual(confirm({ ForceAliasCreation: true }), { username: 'alice', confirmationCode: '123456', forceAliasCreation: true })
  assert.deepEqual(initiate({ AuthParameters: { USERNAME: 'alice', PASSWORD: 'x', IGNORED: 1 } }), { authFlow: 'USER_PASSWORD_AUTH', authParameters: { USERNAME: 'alice', PASSWORD: 'x' } })
})

test('usernames: 1 to 128 code points of letters, marks, symbols, numbers and punctuation', () => {
  assert.equal(signUp({ Username: 'é'.repeat(128) }).username.length, 128)
  // Code points, not UTF-16 units: 128 emoji are 256 units and still fit.
  assert.equal(signUp({ Username: '😀'.repeat(128) }).username, '😀'.repeat(128))
  assert.throws(() => signUp({ Username: 'a'.repeat(129) }), refused(at('username', atMost(128))))
  assert.throws(() => signUp({ Username: '' }), refused(at('username', atLeast1), at('username', namePattern)))
  assert.throws(() => confirm({ Username: 'has space' }), refused(at('username', namePattern)))
  assert.throws(() => signUp({ Username: `${'a'.repeat(128)} ` }), refused(at('username', atMost(128)), at('username', namePattern)))
})

test('user attributes: names 1 to 32 characters, values at most 2048, each member named by its 1-based index', () => {
  const attributes = (...list: unknown[]) => signUp({ UserAttributes: list })
  assert.doesNotThrow(() => attributes({ Name: 'n'.repeat(32), Value: 'v'.repeat(2048) }))
  assert.throws(() => attributes({ Name: 'email', Value: 'a@example.test' }, { Name: 'name', Value: 'v'.repeat(2049) }), refused(at('userAttributes.2.member.value', atMost(2048))))
  assert.throws(() => attributes({ Name: 'n'.repeat(33), Value: 'x' }), refused(atQuoted('n'.repeat(33), 'userAttributes.1.member.name', atMost(32))))
  assert.throws(() => attributes({ Name: '', Value: 'x' }), refused(atQuoted('', 'userAttributes.1.member.name', atLeast1), atQuoted('', 'userAttributes.1.member.name', namePattern)))
  assert.throws(() => attributes({ Value: 'x' }), refused("Value null at 'userAttributes.1.member.name' failed to satisfy constraint: Member must not be null"))
  assert.throws(() => signUp({ ValidationData: [{ Name: 'k', Value: 'v'.repeat(2049) }] }), refused(at('validationData.1.member.value', atMost(2048))))
})

test('passwords: at most 256 characters, no whitespace', () => {
  assert.equal(signUp({ Password: 'p'.repeat(256) }).password.length, 256)
  assert.throws(() => signUp({ Password: 'p'.repeat(257) }), refused(at('password', atMost(256))))
  assert.throws(() => signUp({ Password: 'two words' }), refused(at('password', nonSpacePattern)))
  // Java's \S is ASCII-only: a no-break space is not whitespace to the model.
  assert.equal(signUp({ Password: 'no\u00a0break' }).password, 'no\u00a0break')
})

test('confirmation codes: 1 to 2048 characters, no whitespace, quoted in the message (not a sensitive member)', () => {
  assert.equal(confirm({ ConfirmationCode: '9'.repeat(2048) }).confirmationCode.length, 2048)
  assert.throws(() => confirm({ ConfirmationCode: '9'.repeat(2049) }), refused(atQuoted('9'.repeat(2049), 'confirmationCode', atMost(2048))))
  assert.throws(() => confirm({ ConfirmationCode: '' }), refused(atQuoted('', 'confirmationCode', atLeast1), atQuoted('', 'confirmationCode', nonSpacePattern)))
  assert.throws(() => confirm({ ConfirmationCode: '12 34' }), refused(atQuoted('12 34', 'confirmationCode', nonSpacePattern)))
})

test('client ids: 1 to 128 word characters or +, checked before the client is looked up', () => {
  assert.throws(() => initiate({ ClientId: 'c'.repeat(129) }), refused(at('clientId', atMost(128))))
  assert.throws(() => signUp({ ClientId: 'not-a-client' }), refused(at('clientId', 'satisfy regular expression pattern: [\\w+]+')))
  assert.throws(() => confirm({ ClientId: 'otherclient' }), { name: 'ResourceNotFoundException', message: 'User pool client otherclient does not exist.' })
  assert.throws(() => signUp({ SecretHash: 'has space' }), refused(at('secretHash', 'satisfy regular expression pattern: [\\w+=/]+')))
})

test('auth parameters: keys and values at most 131072 characters; the flow from the model’s enum', () => {
  const long = 'x'.repeat(131073)
  const mapLimit = (part: string) => `Value at 'authParameters' failed to satisfy constraint: ${part} must satisfy constraint: [Member must have length less than or equal to 131072]`
  assert.throws(() => initiate({ AuthParameters: { USERNAME: long } }), refused(mapLimit('Map value')))
  assert.throws(() => initiate({ AuthParameters: { [long]: 'x' } }), refused(mapLimit('Map keys')))
  assert.throws(
    () => initiate({ AuthFlow: 'MAGIC' }),
    refused(atQuoted('MAGIC', 'authFlow', 'satisfy enum value set: [USER_SRP_AUTH, REFRESH_TOKEN_AUTH, REFRESH_TOKEN, CUSTOM_AUTH, ADMIN_NO_SRP_AUTH, USER_PASSWORD_AUTH, ADMIN_USER_PASSWORD_AUTH, USER_AUTH]')),
  )
})

test('every violation of a request is listed at once, ordered by member, missing members as null', () => {
  assert.throws(
    () => signUpInput(clientId, { Username: '', Password: 'a b' }),
    refused(
      "Value null at 'clientId' failed to satisfy constraint: Member must not be null",
      at('password', nonSpacePattern),
      at('username', atLeast1),
      at('username', namePattern),
    ),
  )
  assert.throws(() => initiateAuthInput(clientId, { AuthFlow: 7 }), refused("Value null at 'authFlow' failed to satisfy constraint: Member must not be null", "Value null at 'clientId' failed to satisfy constraint: Member must not be null"))
})
