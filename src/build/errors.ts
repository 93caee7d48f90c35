// Errors of the image builder: a stable code, the file/line or step concerned, the cause.
import { VesselError, type ErrorStatus } from '../vessel-error.js';
export type BuildErrorCode =
  | 'PARSE'
  | 'UNKNOWN_INSTRUCTION'
  | 'INVALID_INSTRUCTION'
  | 'NO_SUCH_STAGE'
  | 'CONTEXT_ESCAPE'
  | 'CONTEXT_NOT_FOUND'
  | 'BASE_IMAGE'
  | 'RUN_FAILED'
  | 'INVALID_OPTION'
  | 'FETCH_FAILED';

const STATUS: Record<BuildErrorCode, ErrorStatus> = {
  PARSE: 'invalidParameter',
  UNKNOWN_INSTRUCTION: 'invalidParameter',
  INVALID_INSTRUCTION: 'invalidParameter',
  NO_SUCH_STAGE: 'invalidParameter',
  CONTEXT_ESCAPE: 'invalidParameter',
  CONTEXT_NOT_FOUND: 'notFound',
  BASE_IMAGE: 'notFound',
  RUN_FAILED: 'system',
  INVALID_OPTION: 'invalidParameter',
  FETCH_FAILED: 'system',
};

export class BuildError extends VesselError {
  override readonly name = 'BuildError';
  constructor(
    readonly code: BuildErrorCode,
    message: string,
    /** The Dockerfile location (`Dockerfile:3`), path or stage concerned. */
    override readonly object: string,
    options?: { cause?: unknown; exitCode?: number },
  ) {
    super(message, { status: STATUS[code], object, cause: options?.cause });
    this.exitCode = options?.exitCode;
  }
  readonly exitCode: number | undefined;
}
