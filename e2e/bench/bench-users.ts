// Benchmark clients sign in like real users: `users` accounts through the local Cognito, their
// connections spread over them (several tabs per user when there are more connections than users).
import type { Emulator } from '../../emulator/start-emulator.ts'
import { idTokenFor } from '../users.ts'
import type { EmulatorProcess } from './emulator-process.ts'

export async function userUrls(emu: EmulatorProcess, connections: number, users = Math.min(connections, 100)): Promise<string[]> {
  const pool = { cognito: emu.cognito } as Pick<Emulator, 'cognito'>
  const tokens: string[] = []
  for (let i = 0; i < users; i++) tokens.push(await idTokenFor(pool, `bench${i}`))
  return Array.from({ length: connections }, (_, i) => `${emu.url}?token=${encodeURIComponent(tokens[i % users])}`)
}
