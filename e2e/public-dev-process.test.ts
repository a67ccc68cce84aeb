// The public end-to-end suite passes against `npm run dev` started out of process, as a developer
// runs it: nothing it checks depends on sharing a process with the emulator.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { runPublicSuite } from './public-suite-run.ts'

test('the public suite passes against an out-of-process npm run dev', async () => {
  const run = await runPublicSuite('dev-process')
  assert.equal(run.fail, 0, run.output.slice(-6000))
  assert.equal(run.code, 0, run.output.slice(-6000))
  assert.ok(run.pass >= 10 && run.pass === run.tests, `${run.pass} of ${run.tests} passed`)
})
