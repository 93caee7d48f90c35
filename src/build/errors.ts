// Errors of the image builder: a stable code, the file/line or step concerned, the cause.
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

export class BuildError extends Error {
  override readonly name = 'BuildError';
  constructor(
    readonly code: BuildErrorCode,
    message: string,
    /** The Dockerfile location (`Dockerfile:3`), path or stage concerned. */
    readonly object: string,
    options?: { cause?: unknown; exitCode?: number },
  ) {
    super(message, options);
    this.exitCode = options?.exitCode;
  }
  readonly exitCode: number | undefined;
}
