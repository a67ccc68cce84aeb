// Translates the SDK's condition failures into an outcome: a failed condition is how conditional
// writes answer "already there" or "not yours", not a failure.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb'

export function isConditionFailed(error: unknown): boolean {
  return error instanceof ConditionalCheckFailedException || (error as { name?: unknown } | null)?.name === 'ConditionalCheckFailedException'
}

/** Runs a conditional write; false when its condition did not hold. */
export async function conditionally(write: () => Promise<unknown>): Promise<boolean> {
  try {
    await write()
    return true
  } catch (error) {
    if (isConditionFailed(error)) return false
    throw error
  }
}
