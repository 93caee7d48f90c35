// Errors from the engine's state database.
import { VesselError } from '../vessel-error.js';
export type StateErrorCode = 'DB_OPEN' | 'DB_MIGRATION';

export class StateError extends VesselError {
  constructor(
    readonly code: StateErrorCode,
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, { status: 'system', object: path, cause: options?.cause });
    this.name = 'StateError';
  }
}
