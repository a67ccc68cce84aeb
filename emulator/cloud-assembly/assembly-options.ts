// What a loaded cloud assembly means for the emulator's options: the declarations read from the
// template in place of declaration files, the stage and API id its values were resolved with, and the
// template's provisioned concurrency and capacity unless the caller gives their own.
import type { CloudAssemblyApp, DeclaredApp, EmulatorSettings } from '../start-emulator.ts'
import type { LoadedCloudAssembly } from './load-cloud-assembly.ts'

export function assemblyOptions(given: EmulatorSettings & CloudAssemblyApp, assembly: LoadedCloudAssembly): EmulatorSettings & DeclaredApp & { apiId: string } {
  const { cloudAssembly: _read, ...settings } = given
  return {
    ...settings,
    api: assembly.api,
    tables: assembly.tables,
    ...(assembly.userPool && { userPool: assembly.userPool }),
    root: assembly.dir,
    // The callback URL in the template names this stage; the emulator serves the same one.
    stage: assembly.stage,
    apiId: assembly.apiId,
    provisionedConcurrency: given.provisionedConcurrency ?? assembly.provisionedConcurrency,
    provisionedCapacity: given.provisionedCapacity ?? assembly.provisionedCapacity,
  }
}
