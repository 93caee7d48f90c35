// Undo stack: each kernel object is registered here by the step that creates it; on failure the
// steps are undone in reverse order and any undo failure is reported with the original error.
import { NetworkError, type NetworkErrorCode } from './errors.js';

export class UndoStack {
  private readonly steps: { what: string; fn: () => void }[] = [];

  push(what: string, fn: () => void): void {
    this.steps.push({ what, fn });
  }

  /** Undoes everything, then throws `error` (wrapped if some undo step failed too). */
  fail(error: unknown, code: NetworkErrorCode, object: string): never {
    const undoErrors: string[] = [];
    for (const s of this.steps.reverse()) {
      try {
        s.fn();
      } catch (e) {
        undoErrors.push(`${s.what}: ${(e as Error).message}`);
      }
    }
    if (undoErrors.length === 0) throw error;
    throw new NetworkError(code, `${(error as Error).message}; cleaning up also failed: ${undoErrors.join('; ')}`, object, { cause: error });
  }
}
