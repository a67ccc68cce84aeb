// `npm run dev`'s running total: the usage line once per period, when it changed since the last one printed.
import type { Emulator } from '../start-emulator.ts'
import { usageLine } from './usage-format.ts'

export function printUsageEvery(emulator: Pick<Emulator, 'usage'>, ms: number, write: (line: string) => void = (line) => console.log(line)): void {
  let last = ''
  const timer = setInterval(() => {
    emulator.usage().then(
      (report) => {
        const line = usageLine(report)
        if (line !== last) write(line)
        last = line
      },
      // Closing: dynalite no longer answers; the bill on Ctrl-C says the rest.
      () => {},
    )
  }, ms)
  timer.unref()
}
