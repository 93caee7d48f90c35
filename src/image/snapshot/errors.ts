// Errors from mounting and unmounting snapshots. `subject` is the mount target or path concerned.
import { VesselError } from '../../vessel-error.js';
export type SnapshotErrorCode =
  /** A path overlayfs cannot take in its option string (a comma), or no lower layers. */
  | 'SNAPSHOT_BAD_PATH'
  /** Even with short link names the option string is too long, or overlay's 500-layer limit is hit. */
  | 'SNAPSHOT_TOO_MANY_LAYERS'
  | 'SNAPSHOT_MOUNT'
  | 'SNAPSHOT_UNMOUNT';

export class SnapshotError extends VesselError {
  override name = 'SnapshotError';
  constructor(
    readonly code: SnapshotErrorCode,
    message: string,
    readonly subject: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: 'system', object: subject, cause: options?.cause });
  }
}
