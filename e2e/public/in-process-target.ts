// The in-process targets: the chat's emulator from its declarations (what `npm test` runs), or from a
// synthesized cloud assembly. Loaded only through target.ts's dynamic import.
import { join } from 'node:path'
import { projectRoot, startChatEmulator } from '../chat-emulator.ts'
import { startEmulator, type Emulator } from '../../emulator/start-emulator.ts'
import type { PublicTarget } from './target.ts'

const web = { dir: join(projectRoot, 'src/web') }

export async function startInProcess(): Promise<PublicTarget> {
  return targetOf('in-process', await startChatEmulator({ web, notice: () => {} }))
}

export async function startCloudAssembly(dir: string): Promise<PublicTarget> {
  if (!dir) throw new Error('E2E_TARGET=cloud-assembly:<dir>: give the cloud assembly folder, e.g. cloud-assembly:cdk.out')
  return targetOf('cloud-assembly', await startEmulator({ cloudAssembly: { dir }, web, functionOutput: 'ignore', notice: () => {} }))
}

function targetOf(kind: string, emulator: Emulator): PublicTarget {
  const { endpoint, region, userPoolId, clientId } = emulator.cognito
  return { kind, url: emulator.url, pageUrl: `${emulator.httpUrl}/`, cognito: { endpoint, region, userPoolId, clientId }, close: () => emulator.close() }
}
