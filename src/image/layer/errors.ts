// Errors from reading, writing and unpacking layer tars. `code` is stable for callers; `subject`
// names the tar entry or path concerned.
import { VesselError } from '../../vessel-error.js';
export type LayerErrorCode =
  /** The tar stream is malformed: bad checksum, truncated entry, bad number field. */
  | 'LAYER_BAD_TAR'
  /** An entry uses a tar feature vessel does not unpack (sparse files, volume labels…). */
  | 'LAYER_UNSUPPORTED_ENTRY'
  /** An entry's path climbs out of the destination with `..`. */
  | 'LAYER_PATH_ESCAPE'
  /** An entry's path runs through a symlink (placed by this layer or already in the destination). */
  | 'LAYER_SYMLINK_IN_PATH'
  /** An entry's path runs through something that is not a directory. */
  | 'LAYER_NOT_A_DIRECTORY'
  /** A hard link's target climbs out of the destination or does not exist in it. */
  | 'LAYER_LINK_ESCAPE'
  | 'LAYER_LINK_TARGET_MISSING'
  /** The compressed stream could not be decoded. */
  | 'LAYER_DECOMPRESS'
  /** A file system operation failed while unpacking or packing. */
  | 'LAYER_IO';

export class LayerError extends VesselError {
  override name = 'LayerError';
  constructor(
    readonly code: LayerErrorCode,
    message: string,
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    // a malformed or hostile layer is bad input; only I/O failures are the system's
    super(message, { status: code === 'LAYER_IO' ? 'system' : 'invalidParameter', object: subject, cause: options?.cause });
  }
}
