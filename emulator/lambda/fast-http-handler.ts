// Bundled into each handler in place of the SDK's Node HTTP request handler (function-bundler.ts):
// the same class, whose `handle()` gives a request for the emulator to the sandbox's fast path
// (fast-path.ts) and everything else to the real handler. The SDK's middleware, signing, retries and
// error parsing run unchanged above it: they see the same HttpResponse either way.
import { fastPathKey, type FastPathRouter } from './fast-path.ts'

interface HttpRequestLike {
  readonly method: string
  readonly protocol?: string
  readonly hostname?: string
  readonly port?: number
  readonly path?: string
  readonly query?: Record<string, string | string[] | null>
  readonly headers: Record<string, string>
  readonly body?: unknown
}

interface HandlerOptions {
  readonly abortSignal?: { readonly aborted: boolean; addEventListener?(type: 'abort', listener: () => void, options?: { once?: boolean }): void }
}

type HandlerClass = new (...args: never[]) => { handle(request: HttpRequestLike, options?: HandlerOptions): Promise<{ response: unknown }> }

export function withFastPath<T extends HandlerClass>(
  Base: T,
  HttpResponse: new (init: { statusCode: number; reason?: string; headers: Record<string, string>; body: Uint8Array }) => unknown,
  buildQueryString: (query: NonNullable<HttpRequestLike['query']>) => string,
): T {
  // @ts-expect-error a mixin over the SDK's class, whose constructor arguments are its own
  class FastPathHttpHandler extends Base {
    /** The SDK's clients call `create()`, which must make this class, not the base one. */
    static create(instanceOrOptions?: unknown) {
      if (typeof (instanceOrOptions as { handle?: unknown } | undefined)?.handle === 'function') return instanceOrOptions
      return new (this as unknown as new (options: unknown) => unknown)(instanceOrOptions)
    }

    override async handle(request: HttpRequestLike, options: HandlerOptions = {}): Promise<{ response: unknown }> {
      const router = (globalThis as Record<symbol, FastPathRouter | undefined>)[fastPathKey]
      const transport = router?.route(request)
      if (!transport) return super.handle(request, options)
      const signal = options.abortSignal
      if (signal?.aborted) throw abortError()
      const query = request.query ? buildQueryString(request.query) : ''
      const answer = transport({
        method: request.method,
        path: `${request.path ?? '/'}${query ? `?${query}` : ''}`,
        headers: request.headers,
        body: request.body as string | Uint8Array | undefined,
      })
      const response = await (signal?.addEventListener
        ? Promise.race([answer, new Promise<never>((_, reject) => signal.addEventListener!('abort', () => reject(abortError()), { once: true }))])
        : answer)
      const body = typeof response.body === 'string' ? new TextEncoder().encode(response.body) : response.body
      return { response: new HttpResponse({ statusCode: response.status, headers: { ...response.headers }, body }) }
    }
  }
  return FastPathHttpHandler as unknown as T
}

function abortError(): Error {
  return Object.assign(new Error('Request aborted'), { name: 'AbortError' })
}
