// What the Lambda runtime gives a function besides its own code: the AWS SDK for JavaScript v3.
// CDK's NodejsFunction leaves `@aws-sdk/*` (and, with `sdkV3ExcludeSmithyPackages`, `@smithy/*`)
// out of its bundles for Node.js 18+ runtimes, because Lambda's Node.js runtimes include them
// (Lambda developer guide, "Building Lambda functions with Node.js": the SDK v3 is included). A staged
// asset therefore imports them bare. This plugin resolves such an import, for code in the given
// folders, as the runtime does: the function's own copy first (its node_modules come before the
// runtime's on Lambda's search path), else the emulator's copy, playing the runtime's. Nothing else
// is provided: a package the bundle forgot fails here as it would on Lambda.
import { fileURLToPath } from 'node:url'
import { sep } from 'node:path'
import type { Plugin } from 'esbuild'

/** Where the emulator's own SDK is installed: its package folder. */
const runtimeRoot = fileURLToPath(new URL('../..', import.meta.url))

export function runtimeModulesPlugin(codeDirs: readonly string[]): Plugin {
  const within = (file: string) => codeDirs.some((dir) => file === dir || file.startsWith(dir.endsWith(sep) ? dir : dir + sep))
  return {
    name: 'dynamowave-lambda-runtime-modules@1',
    setup(build) {
      build.onResolve({ filter: /^@(aws-sdk|smithy)\// }, async (args) => {
        if ((args.pluginData as { runtimeModules?: boolean } | undefined)?.runtimeModules || !within(args.importer)) return undefined
        const pluginData = { runtimeModules: true }
        const own = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData })
        if (own.errors.length === 0) return own
        return build.resolve(args.path, { resolveDir: runtimeRoot, kind: args.kind, pluginData })
      })
    },
  }
}
