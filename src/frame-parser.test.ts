import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChatError } from './errors.ts'
import { parseAnyFrame, parseFrame } from './frame-parser.ts'
import { actions, maxTextLength } from './protocol.ts'

const failure = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    if (error instanceof ChatError) return { code: error.code, ref: error.ref }
    throw error
  }
  assert.fail('expected an error')
}

test('the AWS tutorial frame is a sendmessage to the current room', () => {
  assert.deepEqual(parseFrame('{"action":"sendmessage","data":"hello"}', 'sendmessage'), { action: 'sendmessage', text: 'hello' })
})

test('frames parse into exactly their typed fields, with defaults', () => {
  assert.deepEqual(parseFrame('{"action":"history","room":"r","extra":1}', 'history'), { action: 'history', room: 'r', limit: 50 })
  assert.deepEqual(
    parseFrame('{"action":"sendmessage","room":"r","text":"t","clientMessageId":"c-1","ref":"q"}', 'sendmessage'),
    { action: 'sendmessage', room: 'r', text: 't', clientMessageId: 'c-1', ref: 'q' },
  )
})

test('errors carry the frame ref when it has a valid one', () => {
  assert.deepEqual(failure(() => parseFrame('{"action":"joinroom","room":"a b","ref":"x1"}', 'joinroom')), { code: 'BAD_ROOM_NAME', ref: 'x1' })
  assert.deepEqual(failure(() => parseFrame('{"action":"joinroom","room":"a","ref":"bad ref"}', 'joinroom')), { code: 'BAD_FRAME', ref: undefined })
  assert.deepEqual(failure(() => parseAnyFrame('{"action":"nope","ref":"x2"}')), { code: 'UNKNOWN_ACTION', ref: 'x2' })
})

test('bad bodies are BAD_FRAME and unknown or missing actions UNKNOWN_ACTION', () => {
  for (const body of ['', 'nope', '[]', 'null', '"s"', '{"action":"history"}']) assert.equal(failure(() => parseAnyFrame(body)).code, 'BAD_FRAME', body)
  for (const body of ['{}', '{"action":5}', '{"action":"Heartbeat"}']) assert.equal(failure(() => parseAnyFrame(body)).code, 'UNKNOWN_ACTION', body)
})

test('a sendmessage text must be a non-empty string of at most 4,000 characters', () => {
  for (const text of [undefined, '', '   ', 42]) {
    assert.equal(failure(() => parseFrame(JSON.stringify({ action: 'sendmessage', text }), 'sendmessage')).code, 'BAD_FRAME', String(text))
  }
  assert.equal(failure(() => parseFrame(JSON.stringify({ action: 'sendmessage', text: 'x'.repeat(maxTextLength + 1) }), 'sendmessage')).code, 'TOO_LONG')
  assert.deepEqual(parseFrame(JSON.stringify({ action: 'sendmessage', text: '😀'.repeat(maxTextLength) }), 'sendmessage'), {
    action: 'sendmessage',
    text: '😀'.repeat(maxTextLength),
  })
  assert.equal(failure(() => parseFrame('{"action":"sendmessage","text":"x","clientMessageId":"has space"}', 'sendmessage')).code, 'BAD_FRAME')
})

test('an unknown action names the valid actions', () => {
  try {
    parseAnyFrame('{"action":"dance"}')
    assert.fail('expected UNKNOWN_ACTION')
  } catch (error) {
    assert.ok(error instanceof ChatError)
    assert.match(error.message, /^Unknown action "dance"\. Valid actions: .*sendmessage/)
    assert.deepEqual(error.details, { validActions: [...actions] })
  }
})
