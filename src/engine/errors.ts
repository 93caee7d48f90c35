// Errors of the container engine: a stable code, the container/volume/path concerned, the cause.
import { VesselError, type ErrorStatus } from '../vessel-error.js';
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
  /** the container is already in the state asked for (docker answers 304) */
  | 'NOT_MODIFIED';

const STATUS: Record<EngineErrorCode, ErrorStatus> = {
  NO_SUCH_CONTAINER: 'notFound',
  AMBIGUOUS_ID: 'invalidParameter',
  NAME_IN_USE: 'conflict',
  INVALID_NAME: 'invalidParameter',
  BAD_STATE: 'conflict',
  INVALID_OPTION: 'invalidParameter',
  NO_SUCH_VOLUME: 'notFound',
  VOLUME_IN_USE: 'conflict',
  NO_COMMAND: 'invalidParameter',
  NO_SUCH_USER: 'system',
  START_FAILED: 'system',
  NETWORK_UNAVAILABLE: 'unavailable',
  CLEANUP_FAILED: 'system',
  NOT_MODIFIED: 'notModified',
};

export class EngineError extends VesselError {
  override readonly name = 'EngineError';
  constructor(
    readonly code: EngineErrorCode,
    message: string,
    /** The container id or name, volume name or path concerned. */
    override readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
  }
}
