// Errors from the image subsystem. `code` is stable for callers; `subject` names the reference,
// digest, path or URL concerned.
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

export class ImageError extends Error {
  constructor(
    readonly code: ImageErrorCode,
    message: string,
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ImageError';
  }
}
