// Pushes frames to clients through the `@connections` management API. Translates the SDK's errors
// into ours: a gone peer is an outcome, not a failure.
import { Agent } from 'node:https'
import { Agent as HttpAgent } from 'node:http'
import {
  ApiGatewayManagementApiClient,
  DeleteConnectionCommand,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi'

export type PostOutcome = 'sent' | 'gone'

export interface ConnectionPoster {
  /** `data` as bytes: a fan-out encodes its frame once, not once per recipient. */
  post(connectionId: string, data: Uint8Array): Promise<PostOutcome>
  /** Closes a connection (DeleteConnection); one already gone is no error. */
  disconnect(connectionId: string): Promise<void>
}

export function createConnectionPoster(callbackUrl: string): ConnectionPoster {
  const client = new ApiGatewayManagementApiClient({
    endpoint: callbackUrl,
    requestHandler: {
      httpsAgent: new Agent({ keepAlive: true, maxSockets: 64 }),
      httpAgent: new HttpAgent({ keepAlive: true, maxSockets: 64 }),
    },
  })
  return {
    async post(connectionId, data) {
      try {
        await client.send(new PostToConnectionCommand({ ConnectionId: connectionId, Data: data }))
        return 'sent'
      } catch (error) {
        if (error instanceof GoneException) return 'gone'
        throw error
      }
    },
    async disconnect(connectionId) {
      try {
        await client.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
      } catch (error) {
        if (!(error instanceof GoneException)) throw error
      }
    },
  }
}
