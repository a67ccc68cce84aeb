// The server ending a connection, as `@connections` DELETE does on AWS: for tests of what a client
// does when its socket goes away under it.
import { ApiGatewayManagementApiClient, DeleteConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi'
import type { ChatEmulator } from './chat-emulator.ts'

export async function drop(emu: ChatEmulator, connectionId: string): Promise<void> {
  const management = new ApiGatewayManagementApiClient({ endpoint: emu.callbackUrl, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 })
  try {
    await management.send(new DeleteConnectionCommand({ ConnectionId: connectionId }))
  } finally {
    management.destroy()
  }
}
