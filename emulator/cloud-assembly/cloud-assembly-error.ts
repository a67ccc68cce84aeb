// Why a cloud assembly cannot be run: refused at start, naming the resource, the property and why.

export type CloudAssemblyErrorCode =
  /** The folder is not a cloud assembly, or it has no such stack, or several to choose from. */
  | 'CLOUD_ASSEMBLY_NOT_FOUND'
  /** A value the emulator cannot work out offline (an intrinsic it does not support, a reference to nothing). */
  | 'CLOUD_ASSEMBLY_UNRESOLVED'
  /** Something the template asks for that the emulator does not do (a Python function, an HTTP integration). */
  | 'CLOUD_ASSEMBLY_UNSUPPORTED'

export class CloudAssemblyError extends Error {
  constructor(
    readonly code: CloudAssemblyErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'CloudAssemblyError'
  }
}
