// Errors as the Engine API answers them: `{"message": "..."}` with docker's HTTP status for the
// error's class. Every vessel error carries that class (VesselError.status); anything else is a 500.
import { HTTP_STATUS, VesselError, statusOf, type ErrorStatus } from '../vessel-error.js';

/** A request the server itself refuses (bad version, unknown path, a body too large...). */
export class ApiError extends VesselError {
  override readonly name = 'ApiError';
  readonly code = 'API_REQUEST';
  constructor(status: ErrorStatus, message: string, options?: { cause?: unknown }) {
    super(message, { status, cause: options?.cause });
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
  return { status: HTTP_STATUS[statusOf(e)], message: e instanceof Error ? e.message : String(e) };
}
