// Errors from compiling a seccomp profile. `object` names what was refused: an action, operator,
// architecture, flag, syscall rule or the program itself.
export type SeccompErrorCode =
  | 'UNKNOWN_ACTION'
  | 'UNSUPPORTED_ACTION'
  | 'UNKNOWN_OPERATOR'
  | 'UNKNOWN_ARCH'
  | 'UNSUPPORTED_ARCH'
  | 'UNKNOWN_FLAG'
  | 'INVALID_ERRNO'
  | 'INVALID_ARG'
  | 'INVALID_RULE'
  | 'PROGRAM_TOO_LONG';

export class SeccompError extends Error {
  override name = 'SeccompError';
  constructor(
    readonly code: SeccompErrorCode,
    message: string,
    readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
