// Exactly-once sends. The first attempt with a clientMessageId claims it (a conditional put) and
// holds it until its own deadline (a lease). A retry finds the claim and then:
//   - with other text or another room: refused (DUPLICATE_MISMATCH), nothing stored or sent;
//   - after the first attempt finished: answered as it was (`duplicate: true`), nothing sent again;
//   - while an attempt holds the lease (retries at the same time): waits for it to finish, and
//     answers as it did; if its own time runs short first, IN_PROGRESS (send again shortly);
//   - after an attempt's lease ran out (it timed out or crashed): takes the claim over and finishes
//     its work under the same id: stores the message if it is not stored yet and posts to whoever
//     the earlier attempts did not reach (a fan-out cut short by its deadline records who it
//     reached, fan-out.ts).
// One gap remains, and no sender can close it: an attempt killed without warning mid fan-out records
// nothing, so its taker posts to everyone again; every event carries the message id, and the page
// shows each id once.
import { createHash } from 'node:crypto'
import type { ClaimedSend } from './adapters/message-store.ts'
import type { ChatContext } from './chat-context.ts'
import { ChatError } from './errors.ts'
import { deadlineMarginMs } from './fan-out.ts'
import type { Invocation } from './invocation.ts'

export type Attempt =
  /** This attempt does the work; `delivered` already have the message. */
  | { readonly kind: 'first' | 'retry'; readonly send: ClaimedSend; readonly delivered: readonly string[] }
  /** An earlier attempt finished it. */
  | { readonly kind: 'done'; readonly send: ClaimedSend }

/**
 * A lease is short, and renewed while its attempt works, so that a retry after a crash waits seconds,
 * not the crashed function's whole timeout; it never outlives the attempt's own deadline.
 */
const leaseMs = 5000
const renewEveryMs = 1500
/** How often a retry looks whether the attempt holding the lease has finished. */
const pollMs = 100

export function textHash(room: string, text: string): string {
  return createHash('sha256').update(`${room}\n${text}`).digest('base64url').slice(0, 22)
}

export class SendClaims {
  constructor(private readonly ctx: ChatContext) {}

  async begin(userId: string, clientMessageId: string, fresh: ClaimedSend, invocation: Invocation): Promise<Attempt> {
    const { messages } = this.ctx.store
    const lease = () => this.ctx.now() + Math.min(leaseMs, invocation.remainingMs())
    let claim = await messages.claim(userId, clientMessageId, fresh, lease(), this.ctx.now())
    if (claim === 'claimed') return { kind: 'first', send: fresh, delivered: [] }
    if (claim.textHash !== fresh.textHash) {
      throw new ChatError('DUPLICATE_MISMATCH', 'This clientMessageId was already used for another message', { clientMessageId, id: claim.id })
    }
    for (;;) {
      if (claim.state === 'done') return { kind: 'done', send: claim }
      if (claim.leaseUntil <= this.ctx.now()) {
        if (await messages.takeOver(userId, clientMessageId, claim.leaseUntil, lease())) return { kind: 'retry', send: claim, delivered: claim.delivered }
      } else if (invocation.remainingMs() < deadlineMarginMs + pollMs) {
        throw new ChatError('IN_PROGRESS', 'Another attempt with this clientMessageId is still sending it: send again shortly', { clientMessageId, id: claim.id })
      } else {
        await new Promise((resolve) => setTimeout(resolve, pollMs))
      }
      const latest = await messages.readClaim(userId, clientMessageId)
      // Expired (24 h) while we looked: the first attempt's work stands; answer as it would.
      if (!latest) return { kind: 'done', send: claim }
      claim = latest
    }
  }

  /** Keeps the lease while the attempt works; call the result when it is done. */
  hold(userId: string, clientMessageId: string, invocation: Invocation): () => void {
    const timer = setInterval(() => {
      const until = this.ctx.now() + Math.min(leaseMs, invocation.remainingMs())
      this.ctx.store.messages.renew(userId, clientMessageId, until).catch((error: unknown) => this.ctx.log({ level: 'warn', msg: 'lease renewal failed', error: String(error) }))
    }, renewEveryMs)
    return () => clearInterval(timer)
  }

  checkpoint(userId: string, clientMessageId: string, delivered: readonly string[]): Promise<void> {
    return this.ctx.store.messages.checkpoint(userId, clientMessageId, delivered)
  }

  finish(userId: string, clientMessageId: string): Promise<void> {
    return this.ctx.store.messages.finish(userId, clientMessageId)
  }
}
