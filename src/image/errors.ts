// Errors from the image subsystem. `code` is stable for callers; `subject` names the reference,
// digest, path or URL concerned.
import { VesselError, type ErrorStatus } from '../vessel-error.js';
export type ImageErrorCode =
  | 'INVALID_REFERENCE'
  | 'IMAGE_NOT_FOUND'
  | 'IMAGE_IN_USE'
  | 'IMAGE_AMBIGUOUS'
  | 'DIGEST_MISMATCH'
  | 'BLOB_NOT_FOUND'
  | 'MANIFEST_UNSUPPORTED'
  | 'PLATFORM_NOT_FOUND'
  | 'REGISTRY_HTTP'
  | 'REGISTRY_UNAUTHORIZED'
  | 'REGISTRY_UNREACHABLE'
  | 'ARCHIVE_INVALID'
  | 'CREDENTIALS';

const STATUS: Record<ImageErrorCode, ErrorStatus> = {
  INVALID_REFERENCE: 'invalidParameter',
  IMAGE_NOT_FOUND: 'notFound',
  IMAGE_IN_USE: 'conflict',
  IMAGE_AMBIGUOUS: 'invalidParameter',
  DIGEST_MISMATCH: 'system',
  BLOB_NOT_FOUND: 'notFound',
  MANIFEST_UNSUPPORTED: 'invalidParameter',
  PLATFORM_NOT_FOUND: 'notFound',
  REGISTRY_HTTP: 'system',
  REGISTRY_UNAUTHORIZED: 'unauthorized',
  REGISTRY_UNREACHABLE: 'unavailable',
  ARCHIVE_INVALID: 'invalidParameter',
  CREDENTIALS: 'system',
};

export class ImageError extends VesselError {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object: subject, cause: options?.cause });
    this.name = 'ImageError';
  }
}
