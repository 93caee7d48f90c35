// Errors of copying into and out of containers.
import { VesselError, type ErrorStatus } from '../../vessel-error.js';
export type CopyErrorCode = 'COPY_NOT_FOUND' | 'COPY_UNSAFE_PATH' | 'COPY_NOT_A_DIRECTORY' | 'COPY_UNSUPPORTED';

const STATUS: Record<CopyErrorCode, ErrorStatus> = {
  COPY_NOT_FOUND: 'notFound',
  COPY_UNSAFE_PATH: 'invalidParameter',
  COPY_NOT_A_DIRECTORY: 'invalidParameter',
  COPY_UNSUPPORTED: 'notImplemented',
};

export class CopyError extends VesselError {
  override readonly name = 'CopyError';
  constructor(
    readonly code: CopyErrorCode,
    message: string,
    /** the path concerned */
    override readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
  }
}
