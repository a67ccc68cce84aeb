// Benchmark clients sign in like real users: `users` accounts through the local Cognito, their
// connections spread over them (several tabs per user when there are more connections than users).
import { idTokenFor, type WithCognito } from '../users.ts'

export async function userUrls(emu: WithCognito, connections: number, users = Math.min(connections, 100), prefix = 'bench'): Promise<string[]> {
  const tokens: string[] = []
  for (let i = 0; i < users; i++) tokens.push(await idTokenFor(emu, `${prefix}${i}`))
  return Array.from({ length: connections }, (_, i) => `${emu.url}?token=${encodeURIComponent(tokens[i % users])}`)
}
