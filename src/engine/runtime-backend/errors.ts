// Errors of the runtime backends: a stable code, the runtime or container concerned, the cause.
import { VesselError, type ErrorStatus } from '../../vessel-error.js';
export type RuntimeBackendErrorCode = 'UNKNOWN_RUNTIME' | 'RUNTIME_NOT_FOUND' | 'RUNTIME_FAILED' | 'UNSUPPORTED';

const STATUS: Record<RuntimeBackendErrorCode, ErrorStatus> = {
  UNKNOWN_RUNTIME: 'invalidParameter',
  RUNTIME_NOT_FOUND: 'invalidParameter',
  RUNTIME_FAILED: 'system',
  UNSUPPORTED: 'notImplemented',
};

export class RuntimeBackendError extends VesselError {
  override readonly name = 'RuntimeBackendError';
  constructor(
    readonly code: RuntimeBackendErrorCode,
    message: string,
    /** the runtime name, or the container id */
    override readonly object: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
  }
}
