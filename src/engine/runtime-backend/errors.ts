// Errors of the runtime backends: a stable code, the runtime or container concerned, the cause.
export type RuntimeBackendErrorCode = 'UNKNOWN_RUNTIME' | 'RUNTIME_NOT_FOUND' | 'RUNTIME_FAILED' | 'UNSUPPORTED';

export class RuntimeBackendError extends Error {
  override readonly name = 'RuntimeBackendError';
  constructor(
    readonly code: RuntimeBackendErrorCode,
    message: string,
    /** the runtime name, or the container id */
    readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
