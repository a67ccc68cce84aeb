import { test } from 'node:test'
import assert from 'node:assert/strict'
import { busyLoad, capacityPlan, quietLoad, unitsPerSecond } from './capacity-plan.ts'
import { defaultStackConfig } from './stack-config.ts'

test('the default capacity carries the quiet load at its minimum and the busy load at its maximum, at the target utilisation', () => {
  const plan = capacityPlan(70)
  for (const [load, bound] of [
    [quietLoad, 'min'],
    [busyLoad, 'max'],
  ] as const) {
    const units = unitsPerSecond(load)
    for (const part of ['table', 'index'] as const) {
      for (const kind of ['read', 'write'] as const) {
        const provisioned = plan[part][kind][bound]
        assert.ok(units[part][kind] <= provisioned * 0.7 + 1e-9, `${part} ${kind} ${bound}: ${units[part][kind]}/s on ${provisioned}`)
        assert.ok(provisioned === 1 || units[part][kind] > (provisioned - 1) * 0.7, `${part} ${kind} ${bound} is no larger than it needs to be`)
      }
    }
  }
  assert.deepEqual({ table: defaultStackConfig.tableCapacity, index: defaultStackConfig.indexCapacity }, plan)
})
