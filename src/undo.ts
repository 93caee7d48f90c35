// The one undo stack of every layer (style rule 4): the step that creates a kernel object (a
// mount, a veth, a firewall rule, a runtime state) registers how to remove it; on failure every
// registered step runs, in reverse, even when an earlier one fails, and what failed while undoing
// is reported together with the original error, never swallowed.

export interface UndoFailure {
  /** what the step undoes, e.g. "delete bridge vessel0" */
  what: string;
  error: unknown;
}

/** Makes the module's own typed error from the combined message; `cause` is the original error. */
export type WrapUndoError = (message: string, cause: unknown) => Error;

export class UndoStack {
  private readonly steps: { what: string; fn: () => unknown }[] = [];

  push(what: string, fn: () => unknown): void {
    this.steps.push({ what, fn });
  }

  /** Runs every step, last first, and returns the failures. For steps that return nothing. */
  undoSync(): UndoFailure[] {
    const failures: UndoFailure[] = [];
    for (const s of this.steps.splice(0).reverse()) {
      try {
        const result = s.fn();
        if (result instanceof Promise) failures.push({ what: s.what, error: new Error('an asynchronous undo step was run synchronously') });
      } catch (error) {
        failures.push({ what: s.what, error });
      }
    }
    return failures;
  }

  /** Runs every step, last first, awaiting each, and returns the failures. */
  async undo(): Promise<UndoFailure[]> {
    const failures: UndoFailure[] = [];
    for (const s of this.steps.splice(0).reverse()) {
      try {
        await s.fn();
      } catch (error) {
        failures.push({ what: s.what, error });
      }
    }
    return failures;
  }

  /** Undoes everything, then throws `error`, or `wrap`'s error when some undo step failed too. */
  failSync(error: unknown, wrap: WrapUndoError): never {
    throw withUndoFailures(error, this.undoSync(), wrap);
  }
}

/** `error` itself when nothing failed while undoing; otherwise one error that names both. */
export function withUndoFailures(error: unknown, failures: UndoFailure[], wrap: WrapUndoError): unknown {
  if (failures.length === 0) return error;
  const undone = failures.map((f) => `${f.what}: ${f.error instanceof Error ? f.error.message : String(f.error)}`).join('; ');
  return wrap(`${error instanceof Error ? error.message : String(error)}; cleaning up also failed: ${undone}`, error);
}
