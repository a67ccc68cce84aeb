// The esbuild plugin that bundles the AWS SDK's ES module builds instead of its CommonJS ones.
//
// The SDK's packages ship both (`main`: dist-cjs, `module`: dist-es). On node esbuild picks `main`,
// and a CommonJS module is kept whole: a client's every command and schema, used or not. From the ES
// build esbuild keeps only what the handler imports. The AWS sample's bundle shrank from 1.35 MB to
// 0.6 MB, its sandbox's heap from 19 to 16 MB, and a cold start's import from 80 to 48 ms. Only the
// SDK's packages (`@aws-sdk/*`, `@smithy/*`, which AWS builds for node in both forms) are steered:
// another package's `module` build may be a browser one, so everything else resolves as esbuild does.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import type { Plugin } from 'esbuild'

/** Its name carries its version: the bundle cache keys on plugin names. */
export const sdkModuleBuildsPlugin: Plugin = {
  name: 'dynamowave-sdk-module-builds@1',
  setup(build) {
    const moduleEntry = new Map<string, string | undefined>()
    const entryOf = (packageDir: string) => {
      if (!moduleEntry.has(packageDir)) {
        const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as { module?: unknown; exports?: unknown }
        // With an `exports` map esbuild already chooses by condition (`module`, `import`).
        moduleEntry.set(packageDir, typeof manifest.module === 'string' && manifest.exports === undefined ? join(packageDir, manifest.module) : undefined)
      }
      return moduleEntry.get(packageDir)
    }
    build.onResolve({ filter: /^@(aws-sdk|smithy)\/[^/]+$/ }, async (args) => {
      if ((args.pluginData as { sdkModuleBuilds?: boolean } | undefined)?.sdkModuleBuilds) return undefined
      // As the importer would have found it (its own node_modules, its version), then its ES build.
      // `real` too: the fast path's plugin (fast-path-plugin.ts) then leaves this inner lookup alone.
      const real = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true, sdkModuleBuilds: true } })
      if (real.errors.length > 0) return { errors: real.errors }
      const at = real.path.lastIndexOf('/dist-cjs/')
      const esm = at < 0 ? undefined : entryOf(real.path.slice(0, at))
      return { ...real, path: esm ?? real.path }
    })
  },
}
