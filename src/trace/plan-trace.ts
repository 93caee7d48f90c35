// Tracing one run of a native plan: the shared buffer its processes record into, and the source
// that joins those records with the plan when the trace is collected.
import { closeSync } from 'node:fs';
import type { PlanOp } from '../sys/plan.js';
import { Op } from '../sys/plan.js';
import { sleepSync } from '../sys/sleep.js';
import { readNativeRecords, traceCapacity } from './native-records.js';
import { planSteps, type PlanContext } from './plan-steps.js';
import type { Tracer } from './tracer.js';

/** How long collecting waits for a started container's last steps (its execve) to be recorded. */
const SETTLE_MS = 1000;

export interface PlanTraceOptions extends PlanContext {
  /**
   * Whether the plan's processes are expected to reach their execve now (false: the container's
   * init stays parked at the exec fifo, as after `create` alone). Asked when the trace is collected.
   */
  expectExec?: () => boolean;
}

/** A buffer for the plan's records, or undefined with tracing off. */
export function planTraceBuffer(tracer: Tracer, ops: PlanOp[], create: (records: number) => number): number | undefined {
  return tracer.enabled ? create(traceCapacity(ops.length)) : undefined;
}

/** Registers the buffer `fd` as a source of `tracer`; the fd is closed when the trace is collected. */
export function tracePlan(tracer: Tracer, fd: number, ops: PlanOp[], options: PlanTraceOptions = {}): void {
  const execs = ops.flatMap((op, i) => (op[0] === Op.EXEC ? [i] : []));
  tracer.addSource(() => {
    try {
      let records = readNativeRecords(fd);
      if (options.expectExec?.() ?? true) {
        const deadline = Date.now() + SETTLE_MS;
        const settled = () => records.some((r) => r.result !== 0) || execs.every((i) => records.some((r) => r.opIndex === i));
        while (!settled() && Date.now() < deadline) {
          sleepSync(1);
          records = readNativeRecords(fd);
        }
      }
      return planSteps(ops, records, options);
    } finally {
      closeSync(fd);
    }
  });
}
