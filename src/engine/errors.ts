// Errors of the container engine: a stable code, the container/volume/path concerned, the cause.
export type EngineErrorCode =
  | 'NO_SUCH_CONTAINER'
  | 'AMBIGUOUS_ID'
  | 'NAME_IN_USE'
  | 'INVALID_NAME'
  | 'BAD_STATE'
  | 'INVALID_OPTION'
  | 'NO_SUCH_VOLUME'
  | 'VOLUME_IN_USE'
  | 'NO_COMMAND'
  | 'NO_SUCH_USER'
  | 'START_FAILED'
  | 'NETWORK_UNAVAILABLE'
  | 'CLEANUP_FAILED'
  | 'LOCK_FAILED';

export class EngineError extends Error {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** The container id or name, volume name or path concerned. */
    readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
