// Errors of copying into and out of containers.
export type CopyErrorCode = 'COPY_NOT_FOUND' | 'COPY_UNSAFE_PATH' | 'COPY_NOT_A_DIRECTORY' | 'COPY_UNSUPPORTED';

export class CopyError extends Error {
  override readonly name = 'CopyError';
  constructor(
    readonly code: CopyErrorCode,
    message: string,
    /** the path concerned */
    readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
