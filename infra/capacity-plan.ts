// The table's default provisioned capacity, from what each flow really costs (measured-units.ts) and
// two loads: the autoscaling minimum carries a quiet chat without scaling, the maximum a busy one.
// Target tracking keeps use at `targetUtilizationPercent` of what is provisioned, so each figure is
// the load's units per second divided by that share, rounded up.
import { measuredUnits, type FlowUnits } from './measured-units.ts'
import type { CapacityConfig } from './stack-config.ts'

/** Flows per second. */
export interface Load {
  /** Each connect also opens the page's lists (measuredUnits.open). */
  readonly connects: number
  readonly joins: number
  readonly sends: number
  readonly disconnects: number
}

/** 10 people online, each sending a message every 30 s and coming back about every 100 s. */
export const quietLoad: Load = { connects: 0.1, joins: 0.1, sends: 10 / 30, disconnects: 0.1 }
/** 1,000 people online, each sending a message every 30 s and coming back about every 100 s. */
export const busyLoad: Load = { connects: 10, joins: 10, sends: 1000 / 30, disconnects: 10 }

export const defaultTargetUtilizationPercent = 70

/** Units per second a load spends on the table and on the index. */
export function unitsPerSecond(load: Load): FlowUnits {
  const flows = [
    [measuredUnits.connect, load.connects],
    [measuredUnits.open, load.connects],
    [measuredUnits.join, load.joins],
    [measuredUnits.send, load.sends],
    [measuredUnits.disconnect, load.disconnects],
  ] as const
  const sum = (pick: (f: FlowUnits) => number) => flows.reduce((total, [units, rate]) => total + pick(units) * rate, 0)
  return {
    table: { read: sum((f) => f.table.read), write: sum((f) => f.table.write) },
    index: { read: sum((f) => f.index.read), write: sum((f) => f.index.write) },
  }
}

/** Provisioned units that carry `units` per second at the target utilisation (at least 1). */
const provisioned = (units: number, targetPercent: number) => Math.max(1, Math.ceil((units * 100) / targetPercent))

export function capacityPlan(targetPercent = defaultTargetUtilizationPercent): { readonly table: CapacityConfig; readonly index: CapacityConfig } {
  const quiet = unitsPerSecond(quietLoad)
  const busy = unitsPerSecond(busyLoad)
  const range = (pick: (f: FlowUnits) => number) => ({ min: provisioned(pick(quiet), targetPercent), max: provisioned(pick(busy), targetPercent) })
  return {
    table: { read: range((f) => f.table.read), write: range((f) => f.table.write) },
    index: { read: range((f) => f.index.read), write: range((f) => f.index.write) },
  }
}
