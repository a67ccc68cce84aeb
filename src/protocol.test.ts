import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChatError } from './errors.ts'
import { maxTextLength, parseFrame } from './protocol.ts'

const codeOf = (body: string | undefined) => {
  try {
    parseFrame(body)
  } catch (error) {
    assert.ok(error instanceof ChatError)
    return error.code
  }
  assert.fail('expected the frame to be refused')
}

test('the AWS tutorial frame parses as a sendmessage with its data as the text', () => {
  assert.deepEqual(parseFrame('{"action":"sendmessage","data":"hello"}'), { action: 'sendmessage', text: 'hello', clientMessageId: undefined })
})

test('a sendmessage keeps its client message id', () => {
  assert.deepEqual(parseFrame('{"action":"sendmessage","text":"hi","clientMessageId":"abc-1"}'), {
    action: 'sendmessage',
    text: 'hi',
    clientMessageId: 'abc-1',
  })
})

test('frames that are not JSON objects are BAD_FRAME', () => {
  for (const body of [undefined, '', 'hello', '[1,2]', 'null', '"x"', '{"action":']) assert.equal(codeOf(body), 'BAD_FRAME', String(body))
})

test('a sendmessage with a missing, empty, mistyped or too long text is BAD_FRAME', () => {
  for (const text of [undefined, '', '   ', 42, 'x'.repeat(maxTextLength + 1)]) {
    assert.equal(codeOf(JSON.stringify({ action: 'sendmessage', text })), 'BAD_FRAME', String(text).slice(0, 20))
  }
  assert.equal(codeOf(JSON.stringify({ action: 'sendmessage', text: 'x', clientMessageId: 'has space' })), 'BAD_FRAME')
})

test('an unknown or missing action is UNKNOWN_ACTION and names the valid actions', () => {
  assert.equal(codeOf('{"action":"dance"}'), 'UNKNOWN_ACTION')
  assert.equal(codeOf('{}'), 'UNKNOWN_ACTION')
  try {
    parseFrame('{"action":"dance"}')
  } catch (error) {
    assert.ok(error instanceof ChatError)
    assert.match(error.message, /Unknown action "dance"\. Valid actions: sendmessage/)
    assert.deepEqual(error.details, { validActions: ['sendmessage'] })
  }
})
