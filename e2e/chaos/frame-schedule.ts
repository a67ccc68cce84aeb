// The order of the WebSocket fuzz: every fixed input once (each action × field × wrong type, each
// invalid UTF-8 sequence, each framing breach...), shuffled, then random draws by weight until the
// frame budget is spent. The sequence depends only on the seed, whichever connection takes each case.
import { binaryCase, hugeHeaderCase, invalidUtf8Cases, oversizedFrameCase, oversizedMessageCase, randomBytesCase, randomTextCase, violationCases } from './frame-abuse-cases.ts'
import type { FrameCase } from './frame-case.ts'
import { deepNestingCases, hugeNumberCases, randomFieldCase, truncatedCase, unknownActionCases, validCases, wrongTypeCases } from './protocol-cases.ts'
import type { Prng } from './prng.ts'

export class FrameSchedule {
  private readonly fixed: FrameCase[]
  private readonly draws: readonly (readonly [number, () => FrameCase])[]
  private readonly weightSum: number
  private index = 0
  /** Frames handed out so far. */
  frames = 0

  constructor(
    private readonly rng: Prng,
    private readonly frameBudget: number,
  ) {
    const wrong = wrongTypeCases()
    const numbers = hugeNumberCases()
    const unknown = unknownActionCases()
    const deep = deepNestingCases()
    const valid = validCases()
    const utf8 = invalidUtf8Cases()
    const violations = violationCases()
    this.fixed = rng.shuffle([...wrong, ...numbers, ...unknown, ...deep, ...valid, ...utf8, ...violations, hugeHeaderCase()])
    const pick = (cases: FrameCase[]) => () => rng.pick(cases)
    this.draws = [
      [25, pick(wrong)],
      [10, () => randomTextCase(rng)],
      [10, () => truncatedCase(rng)],
      [10, () => randomFieldCase(rng)],
      [8, pick(unknown)],
      [8, pick(valid)],
      [6, pick(numbers)],
      [4, () => randomBytesCase(rng)],
      [3, () => binaryCase(rng)],
      [3, pick(utf8)],
      [2, pick(deep)],
      [2, pick(violations)],
      [1, () => oversizedFrameCase(rng)],
      [1, () => oversizedMessageCase(rng)],
    ]
    this.weightSum = this.draws.reduce((n, [w]) => n + w, 0)
  }

  /** The next input, or undefined once the budget is spent. */
  next(): FrameCase | undefined {
    if (this.frames >= this.frameBudget) return undefined
    const c = this.index < this.fixed.length ? this.fixed[this.index++] : this.draw()
    this.frames += c.frames.length
    return c
  }

  /** Gives back the frames of an input that was not sent after all. */
  refund(frames: number): void {
    this.frames -= frames
  }

  private draw(): FrameCase {
    let r = this.rng.next() * this.weightSum
    for (const [weight, make] of this.draws) {
      r -= weight
      if (r < 0) return make()
    }
    return this.draws[0][1]()
  }
}
