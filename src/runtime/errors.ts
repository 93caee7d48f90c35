// The runtime's error type: a stable code, the object it concerns, and the cause.
import { VesselError, type ErrorStatus } from '../vessel-error.js';
export type RuntimeErrorCode =
  | 'NOT_FOUND'
  | 'ALREADY_EXISTS'
  | 'INVALID_ID'
  | 'INVALID_CONFIG'
  | 'BAD_STATE'
  | 'SETUP_FAILED'
  | 'HOOK_FAILED'
  | 'SYSCALL'
  | 'USAGE';

const STATUS: Record<RuntimeErrorCode, ErrorStatus> = {
  NOT_FOUND: 'notFound',
  ALREADY_EXISTS: 'conflict',
  INVALID_ID: 'invalidParameter',
  INVALID_CONFIG: 'invalidParameter',
  BAD_STATE: 'conflict',
  SETUP_FAILED: 'system',
  HOOK_FAILED: 'system',
  SYSCALL: 'system',
  USAGE: 'invalidParameter',
};

export class RuntimeError extends VesselError {
  override name = 'RuntimeError';
  constructor(
    readonly code: RuntimeErrorCode,
    message: string,
    object?: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
  }
}

export function invalidConfig(message: string): RuntimeError {
  return new RuntimeError('INVALID_CONFIG', `invalid config.json: ${message}`);
}
