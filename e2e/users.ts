// How a test user opens a chat connection. Every e2e test connects through here, so the way a user
// proves who they are (today `?name=`) changes in one place.
import type { Emulator } from '../emulator/start-emulator.ts'
import { TestClient, type ClientOptions } from './ws-client.ts'

export function connectAs(emulator: Pick<Emulator, 'url'>, username: string, options?: ClientOptions): Promise<TestClient> {
  return TestClient.connect(`${emulator.url}?name=${encodeURIComponent(username)}`, options)
}
