// Tracing one run of a native plan: the shared buffer its processes record into, and the source
// that joins those records with the plan when the trace is collected.
import { closeSync } from 'node:fs';
import type { PlanOp } from '../sys/plan.js';
import { Op } from '../sys/plan.js';
import { sleepSync } from '../sys/sleep.js';
import { readNativeRecords, traceCapacity, type NativeRecord } from './native-records.js';
import { planSteps, type PlanContext } from './plan-steps.js';
import type { Tracer } from './tracer.js';

/** How long collecting waits for a released container's last steps (its execve) to be recorded. */
const SETTLE_MS = 1000;
/** How long it waits for the init to reach, or pass, the exec fifo: microseconds, normally. */
const RELEASE_MS = 50;

export interface PlanTraceOptions extends PlanContext {
  /**
   * False while the container's init certainly still waits at the exec fifo (after `create`
   * alone): collecting then takes the records as they are. Asked when the trace is collected.
   */
  mayHaveStarted?: () => boolean;
}

/** A buffer for the plan's records, or undefined with tracing off. */
export function planTraceBuffer(tracer: Tracer, ops: PlanOp[], create: (records: number) => number): number | undefined {
  return tracer.enabled ? create(traceCapacity(ops.length)) : undefined;
}

/** Polls `read` until `done` holds for its records or `ms` have passed; returns the last read. */
function pollRecords(read: () => NativeRecord[], records: NativeRecord[], done: (r: NativeRecord[]) => boolean, ms: number): NativeRecord[] {
  const deadline = Date.now() + ms;
  while (!done(records) && Date.now() < deadline) {
    sleepSync(1);
    records = read();
  }
  return records;
}

/** Registers the buffer `fd` as a source of `tracer`; the fd is closed when the trace is collected. */
export function tracePlan(tracer: Tracer, fd: number, ops: PlanOp[], options: PlanTraceOptions = {}): void {
  const execs = ops.flatMap((op, i) => (op[0] === Op.EXEC ? [i] : []));
  const fifo = ops.findIndex((op) => op[0] === Op.WAIT_FIFO);
  const failed = (records: NativeRecord[]) => records.some((r) => r.result !== 0);
  const reached = (records: NativeRecord[], op: number) => fifo < 0 || failed(records) || records.some((r) => r.opIndex === op);
  // parked: the step before the fifo (the "created" sync point, recorded once the runtime answered)
  const parked = (records: NativeRecord[]) => reached(records, fifo - 1);
  const released = (records: NativeRecord[]) => reached(records, fifo);
  const settled = (records: NativeRecord[]) => failed(records) || execs.every((i) => records.some((r) => r.opIndex === i));
  tracer.addSource(() => {
    try {
      const read = () => readNativeRecords(fd);
      let records = read();
      if (options.mayHaveStarted?.() ?? true) {
        // a fifo that is gone was written by `start`, or removed by a delete after a failure
        records = pollRecords(read, records, released, RELEASE_MS);
        if (released(records)) records = pollRecords(read, records, settled, SETTLE_MS);
      } else {
        records = pollRecords(read, records, parked, RELEASE_MS);
      }
      return planSteps(ops, records, options);
    } finally {
      closeSync(fd);
    }
  });
}
