// Reads every page of a Query (DynamoDB returns at most 1 MB per call). Never a Scan.
import { QueryCommand, type DynamoDBDocumentClient, type QueryCommandInput } from '@aws-sdk/lib-dynamodb'

export async function queryAll(db: DynamoDBDocumentClient, input: QueryCommandInput, maxItems = Infinity): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = []
  let ExclusiveStartKey: Record<string, unknown> | undefined
  do {
    const page = await db.send(new QueryCommand({ ...input, ExclusiveStartKey }))
    items.push(...(page.Items ?? []))
    ExclusiveStartKey = page.LastEvaluatedKey
  } while (ExclusiveStartKey && items.length < maxItems)
  return items.slice(0, maxItems)
}
