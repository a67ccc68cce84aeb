// RespondToAuthChallenge: the answer to a challenge InitiateAuth (or an earlier answer) gave. Each
// challenge Cognito can send has its responder, keyed by `ChallengeName`; a challenge the pool never
// sends is refused as Cognito refuses it.
import { CognitoError } from './cognito-error.ts'
import type { Operation, OperationDeps } from './cognito-operations.ts'
import { respondPasswordVerifier } from './srp-auth.ts'
import { respondMfaSetup, respondSoftwareTokenMfa } from './mfa-challenges.ts'
import { respondNewPassword } from './new-password.ts'

type Json = Record<string, unknown>

export interface ChallengeAnswer {
  /** `ChallengeResponses`, e.g. `{ USERNAME, PASSWORD_CLAIM_SIGNATURE, ... }`. */
  readonly responses: Readonly<Record<string, string>>
  /** The `Session` the challenge came with, when it had one. */
  readonly session: string | undefined
}

export type ChallengeResponder = (deps: OperationDeps, answer: ChallengeAnswer) => Promise<Json>

/** One line per challenge, each responder in the file of its flow. */
const responders: Readonly<Record<string, ChallengeResponder>> = {
  PASSWORD_VERIFIER: respondPasswordVerifier,
  SOFTWARE_TOKEN_MFA: respondSoftwareTokenMfa,
  MFA_SETUP: respondMfaSetup,
  NEW_PASSWORD_REQUIRED: respondNewPassword,
}

export const respondToAuthChallenge: Operation = async (deps, input) => {
  if (input.ClientId !== deps.settings.clientId) throw new CognitoError('ResourceNotFoundException', `User pool client ${String(input.ClientId)} does not exist.`)
  const name = input.ChallengeName
  if (typeof name !== 'string' || name === '') throw new CognitoError('InvalidParameterException', 'Missing required parameter ChallengeName')
  const responder = Object.hasOwn(responders, name) ? responders[name] : undefined
  if (!responder) throw new CognitoError('InvalidParameterException', `Invalid challenge name: ${name}`)
  const responses = stringMap(input.ChallengeResponses)
  const session = typeof input.Session === 'string' ? input.Session : undefined
  return responder(deps, { responses, session })
}

function stringMap(value: unknown): Readonly<Record<string, string>> {
  if (value === undefined) return {}
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new CognitoError('InvalidParameterException', 'ChallengeResponses must be a map of strings')
  const out: Record<string, string> = {}
  for (const [key, v] of Object.entries(value)) {
    if (typeof v !== 'string') throw new CognitoError('InvalidParameterException', `ChallengeResponses.${key} must be a string`)
    out[key] = v
  }
  return out
}
