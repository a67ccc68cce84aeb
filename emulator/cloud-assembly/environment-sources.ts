// A function's environment variable, as the template gives it (every intrinsic evaluated with the
// local values, template-resources.ts), turned back into what it means, so the emulator can give the
// handler the local equivalent: the `@connections` URL CDK builds as
// `https://{apiId}.execute-api.{region}.{urlSuffix}/{stage}` (WebSocketStage.callbackUrl) becomes the
// emulator's callback URL, the user pool's issuer (`https://` + its ProviderName) the local issuer,
// its id and its client's id the local ones, a table's name the local table. Anything else is a
// plain value, passed as it is.
import type { EnvSource } from '../../src/api-declaration.ts'
import { localRegion } from '../local-credentials.ts'
import { unresolved } from './intrinsics.ts'
import { localMarkers } from './template-resources.ts'

export interface KnownValues {
  readonly apiId: string
  readonly stage: string
  readonly tables: ReadonlySet<string>
}

export function environmentSource(value: unknown, known: KnownValues, where: string): EnvSource {
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw unresolved(where, `an environment variable must be a string, got ${JSON.stringify(value)}`)
  }
  const text = String(value)
  if (text === `https://${known.apiId}.execute-api.${localRegion}.amazonaws.com/${known.stage}`) return { from: 'callbackUrl' }
  if (text === `https://cognito-idp.${localRegion}.amazonaws.com/${localMarkers.userPoolId}`) return { from: 'userPoolIssuer' }
  if (text === localMarkers.userPoolId) return { from: 'userPoolId' }
  if (text === localMarkers.userPoolClientId) return { from: 'userPoolClientId' }
  if (known.tables.has(text)) return { from: 'tableName', table: text }
  if (text.includes('\u0000')) {
    throw unresolved(
      where,
      'builds a string from the user pool’s or its client’s id; offline a function can be given the pool’s id, its issuer URL (https://cognito-idp.<region>.amazonaws.com/<id>) or the client’s id, each as a whole value',
    )
  }
  return { from: 'value', value: text }
}
