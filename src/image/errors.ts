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
  | 'CREDENTIALS'
  | 'NO_SPACE';

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

/** ENOSPC says neither which file nor why it was written: this does. Other errors pass unchanged. */
export function explainNoSpace(e: unknown, what: string, subject: string): unknown {
  if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') return e;
  return new ImageError('NO_SPACE', `${what}: no space left on device`, subject, { cause: e });
}
