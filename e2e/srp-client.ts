// The page's own SRP client (src/web/srp.js), typed for tests: they sign in through it as the page
// does, and check it against Cognito's JavaScript SDK.
type Call = (operation: string, body: Record<string, unknown>) => Promise<any>

export interface SrpClient {
  srpSignIn(call: Call, p: { clientId: string; userPoolId: string; username: string; password: string; now?: () => Date }): Promise<{ response: any; userId: string }>
  clientEphemeral(a?: bigint): { a: bigint; A: bigint }
  passwordKey(p: { a: bigint; A: bigint; B: bigint; salt: string; poolName: string; userId: string; password: string }): Promise<Uint8Array>
  claimSignature(key: Uint8Array, poolName: string, userId: string, secretBlock: string, when: string): Promise<string>
  timestamp(date: Date): string
  padHex(n: bigint): string
}

// Plain JavaScript without declarations: loaded untyped, through a URL so tsc does not follow it.
const page = new URL('../src/web/srp.js', import.meta.url).href
export const srp = (await import(page)) as SrpClient
