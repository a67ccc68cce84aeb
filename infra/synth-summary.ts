// What a synth produced, in three lines a person reads: each stack and its resources, and cdk-nag's
// verdict (findings fail the synth; acknowledged ones are counted, their reasons are in the code).
// Read from the cloud assembly (cdk.out/), so it says what was written, not what was meant.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface StackSummary {
  readonly name: string
  readonly resources: number
  /** Resource count by CloudFormation type, most first. */
  readonly byType: readonly (readonly [string, number])[]
  /** Distinct cdk-nag findings acknowledged (with a reason) in this stack. */
  readonly acknowledged: number
}

export interface SynthSummary {
  readonly stacks: readonly StackSummary[]
  /** Violations the validation plugins (cdk-nag) reported. */
  readonly findings: number
}

const readJson = (file: string) => JSON.parse(readFileSync(file, 'utf8'))

export function summarizeSynth(outdir: string): SynthSummary {
  const manifest = readJson(join(outdir, 'manifest.json'))
  const stacks = Object.entries<{ type: string; properties?: { templateFile?: string } }>(manifest.artifacts)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([name, artifact]) => {
      const template = readJson(join(outdir, artifact.properties?.templateFile ?? `${name}.template.json`))
      const types = new Map<string, number>()
      for (const resource of Object.values<{ Type: string }>(template.Resources ?? {})) types.set(resource.Type, (types.get(resource.Type) ?? 0) + 1)
      const byType = [...types].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
      return { name, resources: Object.keys(template.Resources ?? {}).length, byType, acknowledged: acknowledgedIn(join(outdir, `${name}.metadata.json`)) }
    })
  let findings = 0
  try {
    const report = readJson(join(outdir, 'validation-report.json'))
    // A plugin that failed to run at all counts as one finding: nothing was checked.
    for (const plugin of report.pluginReports ?? []) findings += plugin.violations?.length || (plugin.conclusion === 'failure' ? 1 : 0)
  } catch {
    // No report: no plugin ran, so nothing was found.
  }
  return { stacks, findings }
}

function acknowledgedIn(metadataFile: string): number {
  const ids = new Set<string>()
  try {
    for (const entries of Object.values<{ type: string; data: Record<string, string> }[]>(readJson(metadataFile))) {
      for (const entry of entries) if (entry.type === 'aws:cdk:acknowledged-rules') for (const id of Object.keys(entry.data)) ids.add(id)
    }
  } catch {
    // A stack without metadata acknowledged nothing.
  }
  return ids.size
}

/** The summary as printed by `npm run synth`. */
export function describeSynth(summary: SynthSummary, outdir: string): string {
  const lines = [`Synthesized to ${outdir}/ (no AWS credentials, no network):`]
  for (const stack of summary.stacks) {
    const top = stack.byType.slice(0, 5).map(([type, n]) => `${n} ${type.replace(/^AWS::/, '')}`)
    lines.push(`  stack ${stack.name}: ${stack.resources} resources (${top.join(', ')}${stack.byType.length > 5 ? ', …' : ''})`)
  }
  const acknowledged = summary.stacks.reduce((n, s) => n + s.acknowledged, 0)
  lines.push(
    summary.findings === 0
      ? `  cdk-nag AwsSolutions: passed, no open findings (${acknowledged} acknowledged, each with its reason in infra/)`
      : `  cdk-nag AwsSolutions: ${summary.findings} finding(s), see ${outdir}/validation-report.json`,
  )
  return lines.join('\n')
}
