// Errors from compiling a seccomp profile. `object` names what was refused: an action, operator,
// architecture, flag, syscall rule or the program itself.
import { VesselError } from '../vessel-error.js';
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

export class SeccompError extends VesselError {
  override name = 'SeccompError';
  constructor(
    readonly code: SeccompErrorCode,
    message: string,
    override readonly object: string,
    options?: { cause?: unknown },
  ) {
    // a profile that does not compile is the caller's to fix
    super(message, { status: 'invalidParameter', object, cause: options?.cause });
  }
}
