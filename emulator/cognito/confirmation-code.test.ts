import { test } from 'node:test'
import assert from 'node:assert/strict'
import { codesMatch, newConfirmationCode } from './confirmation-code.ts'

test('codes are six digits', () => {
  for (let i = 0; i < 50; i++) assert.match(newConfirmationCode(), /^\d{6}$/)
})

test('a code matches only itself, whatever the lengths compared', () => {
  assert.equal(codesMatch('123456', '123456'), true)
  for (const given of ['123457', '12345', '1234567', '', ' 123456', '１２３４５６', '123456'.repeat(300)]) {
    assert.equal(codesMatch(given, '123456'), false, given)
  }
})
