// The report for a terminal: one line for the running total (`npm run dev` prints it every minute
// when something changed) and the whole bill (printed on Ctrl-C).
import type { UsageReport } from './usage-report.ts'

export function usd(n: number): string {
  if (n === 0) return '$0'
  if (n < 0.0001) return `$${n.toExponential(2)}`
  if (n < 1) return `$${Number(n.toPrecision(3))}`
  return `$${n.toFixed(2)}`
}

const count = (n: number) => (Number.isInteger(n) ? n.toLocaleString('en-US') : n.toLocaleString('en-US', { maximumFractionDigits: 3 }))
const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KB` : `${(n / 1024 ** 2).toFixed(1)} MB`)

function totals(report: UsageReport): string {
  const { onDemandUsd, provisionedUsd } = report.total
  return provisionedUsd === undefined ? `${usd(onDemandUsd)}` : `${usd(onDemandUsd)} on-demand, ${usd(provisionedUsd)} provisioned`
}

export function usageLine(report: UsageReport): string {
  const warn = report.warnings.length > 0 ? ` — ${report.warnings.length} over provisioned capacity` : ''
  return (
    `usage: ${totals(report)} on AWS (${report.region}${report.freeTier ? ', free tier applied' : ''}) — ` +
    `${count(report.apigateway.messageUnits)} messages, ${count(report.apigateway.connectionMinutes)} connection-min, ` +
    `${count(report.lambda.requests)} Lambda requests, ${count(round(report.lambda.gbSeconds))} GB-s, ` +
    `${count(sum(report, 'read'))} RRU, ${count(sum(report, 'write'))} WRU${warn}`
  )
}

export function usageBill(report: UsageReport): string {
  const lines = [`What this run would cost on AWS (${report.region}, list prices${report.freeTier ? ', free tier applied' : ', no free tier'}), ${report.from} to ${report.to} (${report.seconds.toFixed(0)} s, since ${report.since}):`]
  const a = report.apigateway
  lines.push(`  API Gateway   ${usd(a.usd).padStart(10)}  ${count(a.messagesIn)} messages in, ${count(a.messagesOut)} out (${count(a.messageUnits)} billed 32 KB units); ${count(a.connections)} connections, ${count(a.connectionMinutes)} connection-minutes`)
  lines.push(`  Lambda        ${usd(report.lambda.usd).padStart(10)}  ${count(report.lambda.requests)} requests, ${count(round(report.lambda.gbSeconds))} GB-s`)
  for (const [name, fn] of Object.entries(report.lambda.functions)) {
    const provisioned = fn.provisionedConcurrency ? `, provisioned ${fn.provisionedConcurrency} (${count(round(fn.provisionedGbSeconds ?? 0))} GB-s configured)` : ''
    lines.push(`    ${name.padEnd(18)} ${usd(fn.usd).padStart(10)}  ${count(fn.requests)} requests, ${count(fn.billedMs)} ms billed, ${count(round(fn.gbSeconds))} GB-s${provisioned}`)
  }
  const d = report.dynamodb
  lines.push(`  DynamoDB      ${usd(d.onDemandUsd).padStart(10)}  on-demand${d.provisionedUsd === undefined ? '' : `; ${usd(d.provisionedUsd)} provisioned for ${report.seconds.toFixed(0)} s`}`)
  for (const [key, t] of Object.entries(d.tables)) {
    const cap = t.provisioned ? ` (provisioned ${t.provisioned.read} RCU / ${t.provisioned.write} WCU${t.overProvisioned ? ', EXCEEDED' : ''})` : ''
    lines.push(`    ${key.padEnd(18)} ${count(t.read)} RRU, ${count(t.write)} WRU; peak ${count(t.peakReadPerSecond)} RCU / ${count(t.peakWritePerSecond)} WCU in one second${cap}`)
  }
  lines.push(`  Cognito       ${usd(report.cognito.usd).padStart(10)}  ${count(report.cognito.monthlyActiveUsers)} monthly active users`)
  lines.push(`  Logs          ${usd(report.logs.usd).padStart(10)}  ${bytes(report.logs.bytes)} ingested`)
  lines.push(`  Transfer out  ${usd(report.dataTransferOut.usd).padStart(10)}  ${bytes(report.dataTransferOut.bytes)} to clients`)
  lines.push(`  total         ${totals(report)}`)
  for (const warning of report.warnings) lines.push(`  ! ${warning}`)
  return lines.join('\n')
}

const round = (n: number) => Math.round(n * 1000) / 1000
const sum = (report: UsageReport, kind: 'read' | 'write') => Object.values(report.dynamodb.tables).reduce((n, t) => n + t[kind], 0)
