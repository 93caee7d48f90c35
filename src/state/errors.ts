// Errors from the engine's state database.
export type StateErrorCode = 'DB_OPEN' | 'DB_MIGRATION' | 'DB_FULL';

export class StateError extends Error {
  constructor(
    readonly code: StateErrorCode,
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StateError';
  }
}
