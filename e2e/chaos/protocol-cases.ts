// Fuzz inputs at the chat protocol's level (src/protocol.md): every action with each of its fields
// given every wrong type, huge numbers, unknown actions, truncated and deeply nested JSON, and valid
// frames among them. Each is one text message; all are well-formed WebSocket frames.
import { actions, type Action } from '../../src/protocol.ts'
import { fragmented, text, type FrameCase } from './frame-case.ts'
import type { Prng } from './prng.ts'

type Fields = Record<string, unknown>

/** A valid frame of each action and the fields it reads (protocol.ts); `ref` and `action` are common to all. */
const shapes: { readonly [A in Action]: { readonly base: Fields; readonly fields: readonly string[] } } = {
  joinroom: { base: { room: 'fuzz' }, fields: ['room'] },
  leaveroom: { base: { room: 'fuzz' }, fields: ['room'] },
  listrooms: { base: { limit: 20 }, fields: ['cursor', 'limit'] },
  listdirects: { base: { limit: 20 }, fields: ['cursor', 'limit'] },
  sendmessage: { base: { room: 'lobby', text: 'fuzz', clientMessageId: 'fuzz-1' }, fields: ['room', 'text', 'clientMessageId', 'data'] },
  history: { base: { room: 'lobby', limit: 5 }, fields: ['room', 'before', 'after', 'limit'] },
  editmessage: { base: { room: 'lobby', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV', text: 'edit' }, fields: ['room', 'id', 'text'] },
  deletemessage: { base: { room: 'lobby', id: '01ARZ3NDEKTSV4RRFFQ69G5FAV' }, fields: ['room', 'id'] },
  typing: { base: { room: 'lobby' }, fields: ['room'] },
  opendirect: { base: { userId: 'no-such-user' }, fields: ['userId'] },
  heartbeat: { base: {}, fields: [] },
}

const wrongTypes: readonly (readonly [string, unknown])[] = [
  ['number', 42],
  ['negative float', -1.5],
  ['bool', true],
  ['null', null],
  ['empty array', []],
  ['array', ['lobby']],
  ['empty object', {}],
  ['object', { $ne: null }],
  ['huge string', 'x'.repeat(30_000)],
  ['huge multi-byte string', '€'.repeat(9_000)],
  ['empty string', ''],
]

const frameOf = (action: string | unknown, fields: Fields) => JSON.stringify({ action, ...fields })

/** Every action × field (its own, `ref`, `action`) × wrong type, once each. */
export function wrongTypeCases(): FrameCase[] {
  const cases: FrameCase[] = []
  for (const action of actions) {
    const { base, fields } = shapes[action]
    for (const field of [...fields, 'ref', 'action']) {
      for (const [type, value] of wrongTypes) {
        const frame: Fields = { action, ...base, [field]: value }
        if (field === 'data') delete frame.text
        cases.push({ class: 'wrong field type', name: `${action}.${field} as ${type}`, frames: [text(JSON.stringify(frame))] })
      }
    }
  }
  return cases
}

const hugeNumbers = ['1e400', '-1e400', '1208925819614629174706176', '1e-400', '9'.repeat(10_000), '-0', '0.1e1', '100.0000000000000001', '101', '-1']

export function hugeNumberCases(): FrameCase[] {
  const cases: FrameCase[] = []
  for (const n of hugeNumbers) {
    const label = n.length > 30 ? `${n.length} digits` : n
    cases.push(
      { class: 'huge number', name: `history.limit = ${label}`, frames: [text(`{"action":"history","room":"lobby","limit":${n}}`)] },
      { class: 'huge number', name: `action = ${label}`, frames: [text(`{"action":${n}}`)] },
      { class: 'huge number', name: `sendmessage.text = ${label}`, frames: [text(`{"action":"sendmessage","text":${n}}`)] },
      { class: 'huge number', name: `ref = ${label}`, frames: [text(`{"action":"heartbeat","ref":${n}}`)] },
      { class: 'huge number', name: `editmessage.id = ${label}`, frames: [text(`{"action":"editmessage","room":"lobby","id":${n},"text":"x"}`)] },
    )
  }
  return cases
}

const unknownActions = ['', ' ', 'SENDMESSAGE', 'sendMessage', 'sendmessage ', '$connect', '$disconnect', '$default', '__proto__', 'constructor', 'toString',
  'hasOwnProperty', 'valueOf', 'prototype', '../sendmessage', 'sendmessage\u0000', '\u202esendmessage', 'x'.repeat(20_000), '😀', 'null', 'undefined']

export function unknownActionCases(): FrameCase[] {
  const named = unknownActions.map((a): FrameCase => ({ class: 'unknown action', name: JSON.stringify(a.slice(0, 24)), frames: [text(frameOf(a, { text: 'x' }))] }))
  const shapeless = ['{}', '{"Action":"sendmessage","text":"x"}', '{"action":"heartbeat","action":"nope"}', '{"action":"nope","action":"heartbeat"}', '[{"action":"heartbeat"}]',
    '"heartbeat"', 'null', 'true', '1', '', ' ', '{"__proto__":{"action":"heartbeat"}}', '{"constructor":{"prototype":{"action":"heartbeat"}}}']
  return [...named, ...shapeless.map((body): FrameCase => ({ class: 'unknown action', name: `body ${JSON.stringify(body)}`, frames: [text(body)] }))]
}

export function deepNestingCases(): FrameCase[] {
  const depth = 10_000
  const arrays = '['.repeat(depth) + ']'.repeat(depth)
  const objects = '{"a":'.repeat(depth) + '1' + '}'.repeat(depth)
  return [
    { class: 'deeply nested JSON', name: `body: arrays ${depth} deep`, frames: [text(arrays)] },
    { class: 'deeply nested JSON', name: `sendmessage.text: arrays ${depth} deep`, frames: [text(`{"action":"sendmessage","text":${arrays}}`)] },
    { class: 'deeply nested JSON', name: `ref: arrays ${depth} deep`, frames: [text(`{"action":"heartbeat","ref":${arrays}}`)] },
    { class: 'deeply nested JSON', name: `body: objects ${depth} deep (60 KB in 32 KB frames)`, frames: fragmented(objects) },
    { class: 'deeply nested JSON', name: `action: objects ${depth} deep (fragmented)`, frames: fragmented(`{"action":${objects}}`) },
    { class: 'deeply nested JSON', name: `action: arrays ${depth} deep`, frames: [text(`{"action":${arrays}}`)] },
    { class: 'deeply nested JSON', name: `body: arrays ${depth} deep, unclosed`, frames: [text('['.repeat(depth))] },
    { class: 'deeply nested JSON', name: `heartbeat inside ${depth} arrays`, frames: [text('['.repeat(depth) + '{"action":"heartbeat"}' + ']'.repeat(depth))] },
  ]
}

export function validCases(): FrameCase[] {
  const valid = (name: string, frame: Fields): FrameCase => ({ class: 'valid frame', name, frames: [text(JSON.stringify(frame))] })
  const pad = (bytes: number) => {
    const head = '{"action":"heartbeat","pad":"'
    return `${head}${'x'.repeat(bytes - head.length - 2)}"}`
  }
  return [
    ...actions.map((action) => valid(action, { action, ...shapes[action].base })),
    valid('the AWS tutorial frame', { action: 'sendmessage', data: 'hello' }),
    { class: 'valid size limits', name: 'one frame of exactly 32 KB', frames: [text(pad(32 * 1024))] },
    { class: 'valid size limits', name: 'a message of exactly 128 KB in 32 KB frames', frames: fragmented(pad(128 * 1024)) },
    { class: 'valid size limits', name: 'a 100 KB message in 4 KB frames', frames: fragmented(pad(100 * 1024), 4096) },
  ]
}

/** A random valid frame cut short. */
export function truncatedCase(rng: Prng): FrameCase {
  const action = rng.pick(actions)
  const body = frameOf(action, { ...shapes[action].base, ref: `t${rng.int(0, 9999)}` })
  const cut = rng.int(1, body.length - 1)
  return { class: 'truncated JSON', name: `${action} cut at ${cut} of ${body.length}`, frames: [text(body.slice(0, cut))] }
}

/** A valid frame with one field's value replaced by random text, or random keys added. */
export function randomFieldCase(rng: Prng): FrameCase {
  const action = rng.pick(actions)
  const { base, fields } = shapes[action]
  const field = rng.pick([...fields, 'ref', 'action', 'extra'])
  return { class: 'random field value', name: `${action}.${field}`, frames: [text(frameOf(action, { ...base, [field]: rng.text(rng.int(0, 200)) }))] }
}
