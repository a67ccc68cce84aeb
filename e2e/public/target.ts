// What the public end-to-end suite runs against, chosen by E2E_TARGET: only the chat's public
// surfaces (its WebSocket URL, its Cognito user pool's API, its page), never an emulator's insides, so
// the same tests run against
//   in-process                  the emulator started in this process (the default: `npm test`);
//   dev-process                 `npm run dev` in its own process, as a developer runs it;
//   cloud-assembly:<dir>        the emulator running a synthesized stack (`cdk.out`);
//   stage:<outputs.json>        a deployed stage, from `cdk deploy --outputs-file outputs.json`.
// Each kind's starter is loaded only when chosen (a dynamic import), so no public test imports the
// emulator (import-graph.test.ts checks it).

export interface PublicTarget {
  /** `ws(s)://…/{stage}`: clients connect here with `?token=`. */
  readonly url: string
  /** The page, where the target serves it. */
  readonly pageUrl?: string
  readonly cognito: {
    readonly endpoint: string
    readonly region: string
    readonly userPoolId: string
    readonly clientId: string
    /** Confirms a user the pool left unconfirmed at sign-up (a stage emails a code; the test user is confirmed by its deployer instead). */
    readonly afterSignUp?: (username: string) => Promise<void>
  }
  /** A short label for reports, e.g. `dev-process`. */
  readonly kind: string
  close(): Promise<void>
}

type Starter = (argument: string) => Promise<PublicTarget>

const starters: Readonly<Record<string, () => Promise<Starter>>> = {
  'in-process': async () => (await import('./in-process-target.ts')).startInProcess,
  'cloud-assembly': async () => (await import('./in-process-target.ts')).startCloudAssembly,
  'dev-process': async () => (await import('./dev-process-target.ts')).startDevProcess,
  stage: async () => (await import('./stage-target.ts')).startStage,
}

export async function startTarget(spec = process.env.E2E_TARGET || 'in-process'): Promise<PublicTarget> {
  const at = spec.indexOf(':')
  const [kind, argument] = at < 0 ? [spec, ''] : [spec.slice(0, at), spec.slice(at + 1)]
  const starter = Object.hasOwn(starters, kind) ? starters[kind] : undefined
  if (!starter) throw new Error(`E2E_TARGET=${spec}: expected one of ${Object.keys(starters).join(', ')} (cloud-assembly:<dir>, stage:<outputs.json>)`)
  return (await starter())(argument)
}
