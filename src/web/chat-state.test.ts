// The page's presence rule: a snapshot is applied only when its version is newer than the one shown,
// so a late `joined` never undoes a newer `left` (src/protocol.md, guarantee 1).
import { test } from 'node:test'
import assert from 'node:assert/strict'

// The page's modules are plain JavaScript without declarations: loaded untyped.
interface Members {
  readonly members: Map<string, { username: string }>
  readonly memberCount: number
}
interface State {
  conversation(id: string): Members
  setMembers(id: string, members: readonly object[], version: number): boolean
  presence(event: object): boolean
  resetPresence(): void
}
const page = './chat-state.js'
const { ChatState } = (await import(page)) as { ChatState: new () => State }

const ann = { userId: 'a', username: 'ann' }
const bob = { userId: 'b', username: 'bob' }
const shown = (state: State, room: string) => [...state.conversation(room).members.values()].map((u) => u.username)

test('presence snapshots apply in version order, whatever order they arrive in', () => {
  const state = new ChatState()
  assert.equal(state.setMembers('r', [ann], 1), true)
  // bob joined (version 2), then left (version 3); the events arrive the other way round.
  assert.equal(state.presence({ type: 'presence', room: 'r', event: 'left', user: bob, memberCount: 1, members: [ann], version: 3 }), true)
  assert.equal(state.presence({ type: 'presence', room: 'r', event: 'joined', user: bob, memberCount: 2, members: [ann, bob], version: 2 }), false)
  assert.deepEqual(shown(state, 'r'), ['ann'])
  assert.equal(state.conversation('r').memberCount, 1)
  // A new connection starts over: its join reply applies whatever its version.
  state.resetPresence()
  assert.equal(state.setMembers('r', [ann, bob], 1), true)
  assert.deepEqual(shown(state, 'r'), ['ann', 'bob'])
})
