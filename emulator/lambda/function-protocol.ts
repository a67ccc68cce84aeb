// Messages between function-host.ts (main thread) and function-worker.ts (one worker per function).

export interface WorkerInit {
  readonly entry: string
  readonly exportName: string
  readonly functionName: string
  readonly functionArn: string
  readonly memoryMb: number
  readonly logStreamName: string
  /** The emulator's HTTP address: where `https://{domainName}` calls from the sandbox go. */
  readonly gateway?: { readonly host: string; readonly port: number }
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

export type WorkerMessage =
  | { readonly kind: 'result'; readonly id: number; readonly payload: string | undefined }
  | { readonly kind: 'error'; readonly id: number; readonly error: LambdaErrorPayload }
  | { readonly kind: 'pong' }
  /** The init phase is over and the handler has been called: the function's timeout runs from here. */
  | { readonly kind: 'started'; readonly id: number }
