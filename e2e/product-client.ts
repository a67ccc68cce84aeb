// Test helpers for the chat protocol on top of TestClient: `call` sends an action with a fresh `ref`
// and waits for the reply that echoes it (replies and pushed events interleave in any order), and
// `seen` waits for a pushed frame anywhere in what a client received since a mark, without
// consuming frames the way TestClient.next does. Every wait has a timeout.
import type { TestClient } from './ws-client.ts'
import { connectAs, type WithCognito } from './users.ts'

export type Frame = Record<string, any>

let refs = 0

/** Sends `frame` with a unique ref; resolves with the reply (which may be an error frame). */
export async function call(client: TestClient, frame: Frame, timeoutMs = 5000): Promise<Frame> {
  const ref = `r${++refs}`
  const mark = client.frames.length
  client.send({ ...frame, ref })
  return seen(client, (f) => f.ref === ref, { since: mark, timeoutMs })
}

/** Like `call`, but the reply must not be an error. */
export async function ok(client: TestClient, frame: Frame, timeoutMs = 5000): Promise<Frame> {
  const reply = await call(client, frame, timeoutMs)
  if (reply.type === 'error') throw new Error(`${frame.action} failed: ${JSON.stringify(reply)}`)
  return reply
}

/** The first frame (from index `since`) that matches, now or when it arrives. */
export function seen(client: TestClient, match: (frame: Frame) => boolean, options: { since?: number; timeoutMs?: number } = {}): Promise<Frame> {
  const { since = 0, timeoutMs = 5000 } = options
  const find = (): Frame | undefined => {
    for (let i = since; i < client.frames.length; i++) {
      const frame = parse(client.frames[i])
      if (frame && match(frame)) return frame
    }
    return undefined
  }
  const hit = find()
  if (hit) return Promise.resolve(hit)
  return new Promise((resolve, reject) => {
    const onMessage = () => {
      const found = find()
      if (!found) return
      done()
      resolve(found)
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error(`timed out after ${timeoutMs} ms; frames since ${since}: ${client.frames.slice(since).join(' | ')}`))
    }, timeoutMs)
    const done = () => {
      clearTimeout(timer)
      client.socket.off('message', onMessage)
    }
    // TestClient records the frame in its own 'message' listener, registered first. Many calls may
    // be in flight at once (the rate-limit test): that is not a leak.
    client.socket.setMaxListeners(Math.max(client.socket.getMaxListeners(), 200))
    client.socket.on('message', onMessage)
  })
}

/** Every frame received since `since` that matches (for asserting what did not arrive). */
export function all(client: TestClient, match: (frame: Frame) => boolean, since = 0): Frame[] {
  return client.frames.slice(since).map(parse).filter((f): f is Frame => f !== undefined && match(f))
}

function parse(frame: string): Frame | undefined {
  try {
    const value = JSON.parse(frame)
    return typeof value === 'object' && value !== null ? value : undefined
  } catch {
    return undefined
  }
}

/** Connects as `username` for one test, closed when the test ends. */
export async function openAs(t: { after: (fn: () => unknown) => void }, emulator: WithCognito, username: string): Promise<TestClient> {
  const client = await connectAs(emulator, username)
  t.after(() => client.close())
  return client
}

/** After this, every frame the server sent `client` before the call has arrived (one ordered socket). */
export const barrier = (client: TestClient) => ok(client, { action: 'heartbeat' })

/** The user the server knows this connection as. */
export const whoIs = async (client: TestClient) => (await ok(client, { action: 'listrooms' })).user as { userId: string; username: string }
