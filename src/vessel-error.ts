// The one error base class of vessel. Every module's error class extends it, so a front end can
// tell what kind of failure it is without knowing the module: the CLI maps `status` to docker's
// exit codes, the Engine API server to HTTP statuses (404, 409, 400, 304, 500...).

/** docker's error classes (moby's errdefs), as the Engine API answers them. */
export type ErrorStatus =
  | 'invalidParameter' // 400
  | 'unauthorized' // 401
  | 'forbidden' // 403
  | 'notFound' // 404
  | 'conflict' // 409
  | 'notModified' // 304
  | 'notImplemented' // 501
  | 'unavailable' // 503
  | 'system'; // 500

export const HTTP_STATUS: Record<ErrorStatus, number> = {
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

export interface VesselErrorOptions {
  status: ErrorStatus;
  /** the container, image, network, volume, path or value the error is about */
  object?: string | undefined;
  cause?: unknown;
}

export abstract class VesselError extends Error {
  /** stable, for callers to branch on (`NO_SUCH_CONTAINER`, `NETWORK_NOT_FOUND`, ...) */
  abstract readonly code: string;
  readonly status: ErrorStatus;
  readonly object: string | undefined;

  constructor(message: string, options: VesselErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.status = options.status;
    this.object = options.object;
  }
}

/** Whether `err` is a VesselError (also across two copies of the module, e.g. a bundled library). */
export function isVesselError(err: unknown): err is VesselError {
  return err instanceof VesselError || (err instanceof Error && typeof (err as Partial<VesselError>).status === 'string' && typeof (err as Partial<VesselError>).code === 'string');
}

/** The status of any error: a VesselError's own; anything else is the system's fault. */
export function statusOf(err: unknown): ErrorStatus {
  return isVesselError(err) ? err.status : 'system';
}
