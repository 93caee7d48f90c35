// Errors of the supervisor helpers: a stable code, the file or socket concerned, and the cause.
export type SupervisorErrorCode =
  | 'SUPERVISOR_NOT_FOUND'
  | 'SUPERVISOR_BAD_OPTIONS'
  | 'EXIT_FILE_UNREADABLE'
  | 'EXIT_FILE_INVALID'
  | 'ATTACH_FAILED'
  | 'ATTACH_PROTOCOL'
  | 'LOG_UNREADABLE'
  | 'LOG_BAD_TIME';

export class SupervisorError extends Error {
  override readonly name = 'SupervisorError';
  constructor(
    readonly code: SupervisorErrorCode,
    /** The path of the binary, exit file, socket or log concerned. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message}: ${path}`, options);
  }
}
