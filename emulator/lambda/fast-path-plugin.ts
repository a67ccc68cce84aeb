// The esbuild plugin that bundles the SDK's Node HTTP request handler wrapped for the sandbox's fast
// path (fast-path.ts, fast-http-handler.ts). Only the request handler changes: the handler's own code,
// the SDK's middleware, signing and errors are bundled as they are. Without the fast path installed
// in the sandbox (`fastPath: false`), the wrapped handler is the SDK's own.
import { dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Plugin } from 'esbuild'

const fastHttpHandler = fileURLToPath(new URL('./fast-http-handler.ts', import.meta.url))

/** For the bundle cache's key: the plugin is code it cannot read (its files are inputs it does hash). */
export const fastPathPluginKey = 'dynamowave-fast-path@1'

export const fastPathPlugin: Plugin = {
  name: 'dynamowave-fast-path',
  setup(build) {
    build.onResolve({ filter: /^@smithy\/node-http-handler$/ }, async (args) => {
      // build.resolve runs this callback again: that inner call lets esbuild resolve as usual.
      if ((args.pluginData as { real?: boolean } | undefined)?.real) return undefined
      // The package as the importer would have found it (its own node_modules, its version).
      const real = await build.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, pluginData: { real: true } })
      if (real.errors.length > 0) return { errors: real.errors }
      return { path: real.path, namespace: 'fast-path' }
    })
    build.onLoad({ filter: /.*/, namespace: 'fast-path' }, (args) => ({
      contents: [
        `export * from ${JSON.stringify(args.path)}`,
        `import { NodeHttpHandler as Base } from ${JSON.stringify(args.path)}`,
        `import { HttpResponse, buildQueryString } from '@smithy/core/protocols'`,
        `import { withFastPath } from ${JSON.stringify(fastHttpHandler)}`,
        `export const NodeHttpHandler = withFastPath(Base, HttpResponse, buildQueryString)`,
      ].join('\n'),
      resolveDir: dirname(args.path),
      loader: 'js',
    }))
  },
}
