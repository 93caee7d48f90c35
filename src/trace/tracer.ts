// The trace of one command: steps recorded as they happen (spans around calls that touch the
// kernel) and sources read at the end (the native plan's shared buffer). Disabled, it is a no-op
// object: every method returns at once and a span calls its function and nothing else.
import type { TimedStep, TraceConcept, TraceStep } from './step.js';

/** A step's detail, or a function computing it from the call's result (undefined if it threw). */
export type Detail<T> = string | ((result: T | undefined) => string);

export interface Tracer {
  readonly enabled: boolean;
  /** Runs `fn` as one step: measured, described, and recorded even when it throws. */
  span<T>(concept: TraceConcept, op: string, detail: Detail<T>, fn: () => T): T;
  spanAsync<T>(concept: TraceConcept, op: string, detail: Detail<T>, fn: () => Promise<T>): Promise<T>;
  /** A step measured elsewhere, with absolute CLOCK_MONOTONIC microseconds. */
  add(step: TimedStep): void;
  /**
   * A source of steps read when the trace is collected (a native buffer filled by other
   * processes). `collect` may wait briefly for steps still under way, and must release what it holds.
   */
  addSource(collect: () => TimedStep[]): void;
  /** Every step so far, sources collected, in start order. */
  steps(): TraceStep[];
}

/** CLOCK_MONOTONIC in microseconds: the clock the native records use too. */
export function monotonicUs(): number {
  return Number(process.hrtime.bigint() / 1000n);
}

export const NO_TRACE: Tracer = {
  enabled: false,
  span: (_c, _o, _d, fn) => fn(),
  spanAsync: (_c, _o, _d, fn) => fn(),
  add: () => {},
  addSource: () => {},
  steps: () => [],
};

function describe<T>(detail: Detail<T>, result: T | undefined): string {
  return typeof detail === 'string' ? detail : detail(result);
}

function errorOf(e: unknown): string {
  const err = e as { code?: unknown; message?: unknown };
  return typeof err?.code === 'string' && /^E[A-Z0-9]+$/.test(err.code) ? err.code : String(err?.message ?? e).split('\n')[0]!;
}

export class RecordingTracer implements Tracer {
  readonly enabled = true;
  /** Absolute monotonic microseconds of the trace's start. */
  readonly originUs: number;
  private readonly recorded: TraceStep[] = [];
  private readonly sources: (() => TimedStep[])[] = [];

  constructor(originUs = monotonicUs()) {
    this.originUs = originUs;
  }

  span<T>(concept: TraceConcept, op: string, detail: Detail<T>, fn: () => T): T {
    const start = monotonicUs();
    let result: T;
    try {
      result = fn();
    } catch (e) {
      this.push(concept, op, describe(detail, undefined), start, errorOf(e));
      throw e;
    }
    this.push(concept, op, describe(detail, result), start);
    return result;
  }

  async spanAsync<T>(concept: TraceConcept, op: string, detail: Detail<T>, fn: () => Promise<T>): Promise<T> {
    const start = monotonicUs();
    let result: T;
    try {
      result = await fn();
    } catch (e) {
      this.push(concept, op, describe(detail, undefined), start, errorOf(e));
      throw e;
    }
    this.push(concept, op, describe(detail, result), start);
    return result;
  }

  add(step: TimedStep): void {
    const { atUs, ...rest } = step;
    this.recorded.push({ ...rest, startUs: atUs - this.originUs });
  }

  addSource(collect: () => TimedStep[]): void {
    this.sources.push(collect);
  }

  steps(): TraceStep[] {
    for (const collect of this.sources.splice(0)) for (const step of collect()) this.add(step);
    // stable: steps that began in the same microsecond keep the order they were recorded in
    return [...this.recorded].sort((a, b) => a.startUs - b.startUs);
  }

  private push(concept: TraceConcept, op: string, detail: string, startAbs: number, error?: string): void {
    const end = monotonicUs();
    this.recorded.push({ concept, op, detail, startUs: startAbs - this.originUs, durUs: end - startAbs, pid: process.pid, ...(error ? { error } : {}) });
  }
}
