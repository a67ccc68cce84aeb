// Messages between a sandbox (sandbox.ts, main thread) and the runtime inside its worker thread
// (function-worker.ts). A sandbox runs one invocation at a time, as a Lambda execution environment does.
import type { MessagePort } from 'node:worker_threads'

export interface WorkerInit {
  readonly entry: string
  readonly exportName: string
  readonly functionName: string
  readonly functionArn: string
  readonly memoryMb: number
  readonly logStreamName: string
  /** The emulator's HTTP address: where `https://{domainName}` calls from the sandbox go. */
  readonly gateway?: { readonly host: string; readonly port: number }
  /** Where the SDK's requests to the emulator go without HTTP (fast-path.ts). */
  readonly fastPath?: {
    /** `host:port` of the `@connections` endpoint; its calls go to the main thread as `gateway-call`s. */
    readonly gatewayOrigin: string
    /** `host:port` of DynamoDB, and a port straight to dynalite's thread. */
    readonly dynamo?: { readonly origin: string; readonly port: MessagePort }
  }
}

/** An SDK request taken off the wire: what its HTTP request would have said. */
export interface FastRequest {
  readonly id: number
  readonly method: string
  /** The path as it would be sent, percent-encoding included. */
  readonly path: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array | undefined
}

/** What the HTTP response would have said. */
export interface FastResponse {
  readonly id: number
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: string | Uint8Array
}

export interface InvokeRequest {
  readonly kind: 'invoke'
  readonly id: number
  readonly event: unknown
  readonly awsRequestId: string
  /** The function's timeout; its clock starts when the handler does, after the init phase. */
  readonly timeoutMs: number
  /** Fault switch: the sandbox dies this long after the handler started. */
  readonly crashAfterMs?: number
}

export interface LambdaErrorPayload {
  readonly errorType: string
  readonly errorMessage: string
  readonly stack?: string
}

/** What the handler wrote to stdout and stderr since the runtime last told (CloudWatch Logs ingests it). */
export interface OutputWritten {
  readonly bytes: number
  readonly lines: number
}

export type WorkerMessage =
  /** The init phase ended: the handler module loaded (or failed to, with `error`). */
  | { readonly kind: 'initialized'; readonly error?: LambdaErrorPayload; readonly output: OutputWritten }
  | { readonly kind: 'result'; readonly id: number; readonly payload: string | undefined; readonly memoryUsedMb: number; readonly output: OutputWritten }
  | { readonly kind: 'error'; readonly id: number; readonly error: LambdaErrorPayload; readonly memoryUsedMb: number; readonly output: OutputWritten }
  /** The handler has been called: the function's timeout runs from here. */
  | { readonly kind: 'started'; readonly id: number }
  /** An `@connections` call of the SDK, on the fast path. */
  | { readonly kind: 'gateway-call'; readonly request: FastRequest }

/** Main thread → runtime. */
export type SandboxMessage = InvokeRequest | { readonly kind: 'gateway-answer'; readonly response: FastResponse }
