// What each scenario would cost on AWS, from the emulator's own usage report (GET /_emulator/usage):
// a mark once the clients are ready (signed in), the report since it at the end, divided by the
// messages sent (or, for the storm, the connects) and scaled to a million. On-demand DynamoDB, list
// prices, no free tier; connects, opening the sockets and the warm-up message are included.
import type { UsageReport } from '../../emulator/usage/usage-report.ts'
import { usd } from '../../emulator/usage/usage-format.ts'
import type { Result } from './report.ts'

export interface ScenarioCost {
  /** What one unit is: a message sent, or a connect. */
  readonly per: 'message' | 'connect'
  readonly usdPerMillion: number
  readonly report: UsageReport
}

/** The emulator's usage endpoints, at `httpUrl`. */
export function usageClient(httpUrl: string) {
  return {
    async mark(): Promise<string> {
      const res = await fetch(`${httpUrl}/_emulator/usage/marks`, { method: 'POST' })
      if (res.status !== 201) throw new Error(`POST /_emulator/usage/marks answered ${res.status}`)
      return ((await res.json()) as { mark: string }).mark
    },
    async since(mark: string): Promise<UsageReport> {
      const res = await fetch(`${httpUrl}/_emulator/usage?since=${encodeURIComponent(mark)}`)
      if (res.status !== 200) throw new Error(`GET /_emulator/usage answered ${res.status}`)
      return (await res.json()) as UsageReport
    },
  }
}

/** `count`: the connects (storm) or the messages sent. */
export function scenarioCost(report: UsageReport, unit: 'connect' | 'delivery', count: number): ScenarioCost | undefined {
  const per = unit === 'connect' ? 'connect' : 'message'
  if (count === 0) return undefined
  return { per, usdPerMillion: (report.total.onDemandUsd / count) * 1e6, report }
}

/** One row per emulated scenario: the cost per million and where it goes. */
export function costTable(results: readonly (Result & { readonly cost?: ScenarioCost })[]): string {
  const header = ['scenario', 'system', 'per million', 'API Gateway', 'Lambda', 'DynamoDB (on-demand)', 'logs + transfer + Cognito', 'billed messages per unit']
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`
  const lines = [row(header), row(header.map(() => '---'))]
  for (const r of results) {
    const c = r.cost
    if (!c) continue
    const scale = (n: number) => usd((n / (c.per === 'connect' ? r.measurement!.expected : r.measurement!.sent!)) * 1e6)
    const rep = c.report
    const units = rep.apigateway.messageUnits / (c.per === 'connect' ? r.measurement!.expected : r.measurement!.sent!)
    lines.push(
      row([
        r.scenarioLabel.replaceAll('|', '\\|'),
        r.systemName,
        `${usd(c.usdPerMillion)} per million ${c.per}s`,
        scale(rep.apigateway.usd),
        scale(rep.lambda.usd),
        scale(rep.dynamodb.onDemandUsd),
        scale(rep.logs.usd + rep.dataTransferOut.usd + rep.cognito.usd),
        units.toFixed(1),
      ]),
    )
  }
  return lines.join('\n')
}
