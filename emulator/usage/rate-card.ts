// What AWS charges for each unit the emulator meters: us-east-1 list prices as data, each with the
// page it comes from and the day it was looked at, and the free tiers kept apart (applied only when
// asked). Where the search could not show the figure on AWS's own page (the pricing pages render
// their tables from scripts), the entry says so in `note` instead of claiming more than was checked.
// A JSON file can override any of it (rate-card-file.ts).

export interface Price {
  /** US dollars per `per` units. */
  readonly usd: number
  readonly per: number
  /** What one unit is, e.g. `message (32 KB)`, `GB-second`. */
  readonly unit: string
  readonly source: string
  /** ISO date the price was looked at. */
  readonly checked: string
  readonly note?: string
}

export interface Allowance {
  /** Units free per month. */
  readonly units: number
  readonly source: string
  readonly checked: string
  readonly note?: string
}

export const priceIds = [
  'apigatewayMessages',
  'apigatewayConnectionMinutes',
  'lambdaRequests',
  'lambdaGbSeconds',
  'lambdaProvisionedGbSeconds',
  'lambdaProvisionedDurationGbSeconds',
  'dynamodbReadRequestUnits',
  'dynamodbWriteRequestUnits',
  'dynamodbRcuHours',
  'dynamodbWcuHours',
  'cognitoMau',
  'logsIngestionGb',
  'dataTransferOutGb',
  'cloudwatchAlarmMonths',
] as const
export type PriceId = (typeof priceIds)[number]

export const freeTierIds = [
  'apigatewayMessages',
  'apigatewayConnectionMinutes',
  'lambdaRequests',
  'lambdaGbSeconds',
  'dynamodbRcu',
  'dynamodbWcu',
  'cognitoMau',
  'logsIngestionGb',
  'dataTransferOutGb',
] as const
export type FreeTierId = (typeof freeTierIds)[number]

export interface RateCard {
  readonly region: string
  readonly prices: Readonly<Record<PriceId, Price>>
  readonly freeTier: Readonly<Record<FreeTierId, Allowance>>
}

const checked = '2026-12-02'
const apigateway = 'https://aws.amazon.com/api-gateway/pricing/'
const lambda = 'https://aws.amazon.com/lambda/pricing/'
const dynamodbOnDemand = 'https://aws.amazon.com/dynamodb/pricing/on-demand/'
const dynamodbProvisioned = 'https://aws.amazon.com/dynamodb/pricing/provisioned/'
const cognito = 'https://aws.amazon.com/cognito/pricing/'
const cloudwatch = 'https://aws.amazon.com/cloudwatch/pricing/'
const transfer = 'https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer'
const tablesNotShown = 'the page renders its rate table from a script, so the search showed no figure:'

export const defaultRateCard: RateCard = {
  region: 'us-east-1',
  prices: {
    apigatewayMessages: {
      usd: 1.0,
      per: 1e6,
      unit: 'WebSocket message (each 32 KB or part of it)',
      source: apigateway,
      checked,
      note: `first 1 billion a month; ${tablesNotShown} the page says WebSocket APIs are billed by messages sent and received and connection minutes; the $1.00 and the 32 KB increment are from the page's worked example as quoted by third parties`,
    },
    apigatewayConnectionMinutes: { usd: 0.25, per: 1e6, unit: 'connection minute', source: apigateway, checked, note: 'quoted from the page in an AWS re:Post question' },
    lambdaRequests: { usd: 0.2, per: 1e6, unit: 'request', source: lambda, checked, note: 'authorizer invocations included' },
    lambdaGbSeconds: {
      usd: 0.0000133334,
      per: 1,
      unit: 'GB-second (Arm, first 7.5 billion a month)',
      source: lambda,
      checked,
      note: `${tablesNotShown} the Arm figure is from third-party copies of the page`,
    },
    lambdaProvisionedGbSeconds: {
      usd: 0.0000033334,
      per: 1,
      unit: 'GB-second of provisioned concurrency configured (Arm)',
      source: lambda,
      checked,
      note: `not confirmed: ${tablesNotShown} this is the x86 price ($0.0000041667) less Arm's 20 %`,
    },
    lambdaProvisionedDurationGbSeconds: {
      usd: 0.0000077778,
      per: 1,
      unit: 'GB-second run on provisioned concurrency (Arm)',
      source: lambda,
      checked,
      note: `not confirmed: ${tablesNotShown} this is the x86 price ($0.0000097222, confirmed by a third party) less Arm's 20 %`,
    },
    dynamodbReadRequestUnits: { usd: 0.125, per: 1e6, unit: 'read request unit (on-demand)', source: dynamodbOnDemand, checked, note: 'confirmed by third-party copies of the page (since the November 2024 price cut)' },
    dynamodbWriteRequestUnits: { usd: 0.625, per: 1e6, unit: 'write request unit (on-demand)', source: dynamodbOnDemand, checked, note: 'confirmed by third-party copies of the page' },
    dynamodbRcuHours: { usd: 0.00013, per: 1, unit: 'RCU-hour (provisioned)', source: dynamodbProvisioned, checked, note: 'confirmed by third-party copies of the page' },
    dynamodbWcuHours: { usd: 0.00065, per: 1, unit: 'WCU-hour (provisioned)', source: dynamodbProvisioned, checked, note: 'confirmed by third-party copies of the page' },
    cognitoMau: {
      usd: 0.0055,
      per: 1,
      unit: 'monthly active user (Lite tier, the stack deploys FeaturePlan.LITE)',
      source: cognito,
      checked,
      note: `not confirmed: ${tablesNotShown} the figure is the Lite tier's first band as published when the tiers were introduced`,
    },
    logsIngestionGb: { usd: 0.5, per: 1, unit: 'GB ingested (standard class)', source: cloudwatch, checked, note: 'confirmed by third-party copies of the page (June 2026); Lambda logs have volume tiers past 10 TB' },
    dataTransferOutGb: {
      usd: 0.09,
      per: 1,
      unit: 'GB out to the internet (first 10 TB)',
      source: transfer,
      checked,
      note: 'not confirmed by the search; the API Gateway page names data transfer for HTTP and REST APIs and only messages and connection minutes for WebSocket APIs, so this line is an upper bound',
    },
    cloudwatchAlarmMonths: {
      usd: 0.1,
      per: 1,
      unit: 'standard-resolution alarm-month (target tracking creates 4 per scaling policy)',
      source: cloudwatch,
      checked,
      note: 'not metered (no alarm runs offline): used for the idle cost of provisioned mode; not confirmed by the search',
    },
  },
  freeTier: {
    apigatewayMessages: { units: 1e6, source: apigateway, checked, note: 'for 12 months, accounts created before 15 July 2025 (newer ones get credits instead)' },
    apigatewayConnectionMinutes: { units: 750_000, source: apigateway, checked, note: 'for 12 months, as above' },
    lambdaRequests: { units: 1e6, source: lambda, checked, note: 'always free; not for functions with provisioned concurrency' },
    lambdaGbSeconds: { units: 400_000, source: lambda, checked, note: 'always free' },
    dynamodbRcu: { units: 25, source: dynamodbProvisioned, checked, note: 'provisioned capacity, always free, per region' },
    dynamodbWcu: { units: 25, source: dynamodbProvisioned, checked, note: 'provisioned capacity, always free, per region' },
    cognitoMau: { units: 10_000, source: cognito, checked, note: 'Lite and Essentials; not confirmed by the search (older copies of the page say 50,000)' },
    logsIngestionGb: { units: 5, source: cloudwatch, checked, note: 'confirmed by third-party copies of the page' },
    dataTransferOutGb: { units: 100, source: transfer, checked, note: 'aggregated across services; not confirmed by the search' },
  },
}
