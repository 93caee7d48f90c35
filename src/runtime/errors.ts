// The runtime's error type: a stable code, the object it concerns, and the cause.
export type RuntimeErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_ID'
  | 'INVALID_CONFIG'
  | 'BAD_STATE'
  | 'SETUP_FAILED'
  | 'HOOK_FAILED'
  | 'SYSCALL'
  | 'USAGE'
  | 'NO_CGROUP';

export class RuntimeError extends Error {
  override name = 'RuntimeError';
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    readonly object?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function invalidConfig(message: string): RuntimeError {
  return new RuntimeError('INVALID_CONFIG', `invalid config.json: ${message}`);
}
