import { test } from 'node:test'
import assert from 'node:assert/strict'
import { ChatError } from './errors.ts'
import { dmRoomId, parseRoomId, parseRoomName } from './room-id.ts'

const code = (fn: () => unknown) => {
  try {
    fn()
  } catch (error) {
    return error instanceof ChatError ? error.code : String(error)
  }
  return 'no error'
}

test('room names are 1-64 letters, digits, "-" or "_"', () => {
  for (const ok of ['a', 'lobby', 'A-b_9', 'x'.repeat(64)]) assert.equal(parseRoomName(ok), ok)
  for (const bad of ['', 'x'.repeat(65), 'a b', 'é', 'a.b', 'dm:a:b', 'a\n']) assert.equal(code(() => parseRoomName(bad)), 'BAD_ROOM_NAME', bad)
})

test('a direct conversation id is the same whichever side opens it, and round-trips ids with separators', () => {
  const a = 'name:alice'
  const b = '93bc6ada-c0d1-7054-66ab-e17414c48ae3'
  assert.equal(dmRoomId(a, b), dmRoomId(b, a))
  assert.equal(dmRoomId(a, b), 'dm:93bc6ada-c0d1-7054-66ab-e17414c48ae3:name%3Aalice')
  assert.deepEqual(parseRoomId(dmRoomId(a, b)), { kind: 'direct', room: dmRoomId(a, b), userIds: [b, a] })
  assert.deepEqual(parseRoomId('lobby'), { kind: 'room', room: 'lobby' })
})

test('only the canonical form of a direct conversation id is accepted', () => {
  for (const bad of ['dm:', 'dm:a', 'dm:b:a', 'dm:a:a', 'dm:a:b:c', 'dm:%zz:b', 'dm::b', `dm:a:${'b'.repeat(129)}`]) {
    assert.equal(code(() => parseRoomId(bad)), 'BAD_ROOM_NAME', bad)
  }
})
