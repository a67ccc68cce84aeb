// One DynamoDB document client per cold start. The endpoint comes from the SDK's own settings
// (AWS_ENDPOINT_URL_DYNAMODB offline, the regional endpoint on Lambda), never from a branch here.
import { Agent } from 'node:https'
import { Agent as HttpAgent } from 'node:http'
import { DynamoDBClient } from '@aws-sdk/client-dynamodb'
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb'

export function createDocumentClient(): DynamoDBDocumentClient {
  const client = new DynamoDBClient({
    // Keep-alive saves a TLS handshake per call; the pool bounds sockets under fan-out.
    requestHandler: {
      httpsAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    },
  })
  return DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } })
}
