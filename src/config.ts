// Configuration is read from the environment once per cold start, here and nowhere else. Each
// function is given only the variables src/api.ts declares for it, so optional fields are checked
// where they are needed (see `required`).
import { ChatError } from './errors.ts'

export interface Config {
  readonly tableName: string | undefined
  readonly callbackUrl: string | undefined
  /** The user pool's token issuer, `https://cognito-idp.{region}.amazonaws.com/{userPoolId}` on AWS. */
  readonly tokenIssuer: string | undefined
  /** The app client whose tokens the authorizer accepts. */
  readonly tokenClientId: string | undefined
}

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    tableName: nonEmpty(env.TABLE_NAME),
    callbackUrl: nonEmpty(env.CALLBACK_URL),
    tokenIssuer: nonEmpty(env.TOKEN_ISSUER),
    tokenClientId: nonEmpty(env.TOKEN_CLIENT_ID),
  }
}

const envNames: Record<keyof Config, string> = {
  tableName: 'TABLE_NAME',
  callbackUrl: 'CALLBACK_URL',
  tokenIssuer: 'TOKEN_ISSUER',
  tokenClientId: 'TOKEN_CLIENT_ID',
}

export function required<K extends keyof Config>(config: Config, key: K): NonNullable<Config[K]> {
  const value = config[key]
  if (value === undefined) throw new ChatError('CONFIG', `Missing environment variable ${envNames[key]}`)
  return value as NonNullable<Config[K]>
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value
}
