// Errors as the Engine API answers them: `{"message": "..."}` with docker's status for the class of
// failure. Engine errors carry that class (`status`); anything else is a 500.

export type ErrorClass = 'invalidParameter' | 'unauthorized' | 'forbidden' | 'notFound' | 'conflict' | 'notModified' | 'notImplemented' | 'unavailable' | 'system';

const STATUS: Record<ErrorClass, number> = {
  invalidParameter: 400,
  unauthorized: 401,
  forbidden: 403,
  notFound: 404,
  conflict: 409,
  notModified: 304,
  notImplemented: 501,
  unavailable: 503,
  system: 500,
};

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly errorClass: ErrorClass,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }

  get status(): number {
    return STATUS[this.errorClass];
  }

  static invalid(message: string): ApiError {
    return new ApiError('invalidParameter', message);
  }

  static notFound(message: string): ApiError {
    return new ApiError('notFound', message);
  }
}

/** The HTTP status and message for any error a handler throws. */
export function toHttpError(e: unknown): { status: number; message: string } {
  if (e instanceof ApiError) return { status: e.status, message: e.message };
  const cls = (e as { status?: unknown })?.status;
  if (typeof cls === 'string' && cls in STATUS) return { status: STATUS[cls as ErrorClass], message: (e as Error).message };
  return { status: 500, message: e instanceof Error ? e.message : String(e) };
}
