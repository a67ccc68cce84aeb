// What the emulator itself has to say, apart from the per-invocation log: a client it closed for not
// reading, a dependency that failed, a sandbox that died, a hot reload. Each is said once, with what to do.

export type EmulatorNotice =
  | { readonly kind: 'slow-consumer'; readonly connectionId: string; readonly bufferedBytes: number; readonly limitBytes: number }
  | { readonly kind: 'dynamodb-fault'; readonly code: string; readonly detail: string }
  | { readonly kind: 'dynamodb-stopped'; readonly detail: string }
  | { readonly kind: 'sandbox-died'; readonly function: string; readonly reason: string; readonly failedInvocations: number }
  | { readonly kind: 'internal-error'; readonly where: string; readonly stack: string }
  | { readonly kind: 'sandbox-limit'; readonly function: string; readonly limit: number; readonly waiting: number }
  | { readonly kind: 'functions-reloaded'; readonly functions: number }
  | {
      readonly kind: 'cloud-assembly'
      readonly stack: string
      readonly stage: string
      /** Resource type → logical ids the emulator does not run. */
      readonly notEmulated: Readonly<Record<string, readonly string[]>>
      readonly warnings: readonly string[]
    }

export type NoticeLogger = (notice: EmulatorNotice) => void

/** One sentence a person can act on. */
export function describeNotice(notice: EmulatorNotice): string {
  switch (notice.kind) {
    case 'slow-consumer':
      return `closed connection ${notice.connectionId} (1008): it stopped reading, ${notice.bufferedBytes} bytes waited unsent (limit ${notice.limitBytes}); its client should reconnect`
    case 'dynamodb-fault':
      return `DynamoDB failed a request: ${notice.detail}. Requests get InternalServerError until this is fixed${notice.code === 'LEVEL_IO_ERROR' ? ' (is the disk under --data full? free space there, then restart the emulator)' : '; restart the emulator if it persists'}`
    case 'dynamodb-stopped':
      return `DynamoDB (dynalite) stopped: ${notice.detail}. Every DynamoDB request now gets InternalServerError; restart the emulator (with --data, what was acknowledged is on disk)`
    case 'sandbox-died':
      return `a sandbox of ${notice.function} died (${notice.reason}); ${notice.failedInvocations} invocation(s) in it failed, the next one cold-starts. Its output above says why`
    case 'sandbox-limit':
      return `all ${notice.limit} sandboxes are busy (the local machine's limit, --max-sandboxes): ${notice.waiting} invocation(s) wait for one, ${notice.function} among them; a wait longer than the caller's timeout fails that invocation`
    case 'functions-reloaded':
      return `functions reloaded (${notice.functions}): each runs the saved code from its next invocation; open sockets stay open`
    case 'cloud-assembly': {
      const skipped = Object.entries(notice.notEmulated).map(([type, ids]) => `${type} ×${ids.length}`)
      const lines = [`running stack ${notice.stack}, stage ${notice.stage}, from its cloud assembly`]
      if (skipped.length > 0) lines.push(`not emulated (the app runs without them): ${skipped.join(', ')}`)
      return [...lines, ...notice.warnings.map((warning) => `warning: ${warning}`)].join('\n  ')
    }
    case 'internal-error':
      return `internal error while ${notice.where} (answered 500; please report it):\n${notice.stack}`
  }
}

export const consoleNotices: NoticeLogger = (notice) => console.error(`emulator: ${describeNotice(notice)}`)

export const jsonNotices: NoticeLogger = (notice) => process.stdout.write(JSON.stringify({ time: new Date().toISOString(), notice: notice.kind, ...notice, kind: undefined }) + '\n')
