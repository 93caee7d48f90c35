// Errors of the supervisor helpers: a stable code, the file or socket concerned, and the cause.
import { VesselError, type ErrorStatus } from '../../vessel-error.js';
export type SupervisorErrorCode =
  | 'SUPERVISOR_NOT_FOUND'
  | 'SUPERVISOR_BAD_OPTIONS'
  | 'EXIT_FILE_UNREADABLE'
  | 'EXIT_FILE_INVALID'
  | 'ATTACH_FAILED'
  | 'ATTACH_PROTOCOL'
  | 'LOG_UNREADABLE'
  | 'LOG_BAD_TIME';

const STATUS: Record<SupervisorErrorCode, ErrorStatus> = {
  SUPERVISOR_NOT_FOUND: 'system',
  SUPERVISOR_BAD_OPTIONS: 'invalidParameter',
  EXIT_FILE_UNREADABLE: 'system',
  EXIT_FILE_INVALID: 'system',
  ATTACH_FAILED: 'system',
  ATTACH_PROTOCOL: 'system',
  LOG_UNREADABLE: 'system',
  LOG_BAD_TIME: 'invalidParameter',
};

export class SupervisorError extends VesselError {
  override readonly name = 'SupervisorError';
  constructor(
    readonly code: SupervisorErrorCode,
    /** The path of the binary, exit file, socket or log concerned. */
    readonly path: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${message}: ${path}`, { status: STATUS[code], object: path, cause: options?.cause });
  }
}
