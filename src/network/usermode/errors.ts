// Errors of the user-mode network stacks (a rootless container's network without root).
import { VesselError } from '../../vessel-error.js';
export type UserModeErrorCode =
  /** Neither pasta nor slirp4netns is installed (or the one asked for is not). */
  | 'USERMODE_UNAVAILABLE'
  /** The stack exited, did not configure the namespace in time, or refused a port forward. */
  | 'USERMODE_FAILED';

export class UserModeNetworkError extends VesselError {
  override readonly name = 'UserModeNetworkError';
  constructor(
    readonly code: UserModeErrorCode,
    message: string,
    /** The stack concerned (pasta, slirp4netns), or the port forward. */
    object?: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: code === 'USERMODE_UNAVAILABLE' ? 'unavailable' : 'system', object, cause: options?.cause });
  }
}
