// BatchWriteItem in chunks of 25, retrying what DynamoDB leaves unprocessed under load.
import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

const batchSize = 25

export async function batchWrite(db: DynamoDBDocumentClient, tableName: string, requests: Record<string, unknown>[]): Promise<void> {
  for (let start = 0; start < requests.length; start += batchSize) {
    let pending: Record<string, unknown>[] | undefined = requests.slice(start, start + batchSize)
    for (let attempt = 0; pending && pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error(`DynamoDB left ${pending.length} writes unprocessed`)
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, Math.min(1000, 25 * 2 ** attempt)))
      const result = await db.send(new BatchWriteCommand({ RequestItems: { [tableName]: pending as never } }))
      pending = result.UnprocessedItems?.[tableName] as Record<string, unknown>[] | undefined
    }
  }
}
