// The timeline for Perfetto and chrome://tracing: the Trace Event Format's JSON object form, one
// complete ("X") event per step. Every step is in one trace process (this command); each process
// that made steps is a thread of it, so the runtime and each process of the container's plan get
// a track of their own.
import type { TraceStep } from '../step.js';

interface TraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'M';
  ts?: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface ChromeTrace {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ms';
}

/** `command` names the trace's process ("vessel run …"); `selfPid` is the runtime's own track. */
export function chromeTrace(steps: TraceStep[], command: string, selfPid: number): ChromeTrace {
  const pid = selfPid;
  const threads = [...new Set(steps.map((s) => s.pid))];
  const meta: TraceEvent[] = [
    { name: 'process_name', ph: 'M', pid, tid: selfPid, args: { name: command } },
    ...threads.map((tid): TraceEvent => ({
      name: 'thread_name',
      ph: 'M',
      pid,
      tid,
      args: { name: tid === selfPid ? `runtime (pid ${tid})` : `plan process (pid ${tid} in its namespace)` },
    })),
  ];
  const events = steps.map((s): TraceEvent => ({
    name: `${s.op} ${s.detail}`.slice(0, 80),
    cat: s.concept,
    ph: 'X',
    ts: s.startUs,
    // zero-length events vanish in the viewers: a step takes at least the microsecond it was seen in
    dur: Math.max(1, s.durUs),
    pid,
    tid: s.pid,
    args: { op: s.op, detail: s.detail, ...(s.error ? { error: s.error } : {}) },
  }));
  return { traceEvents: [...meta, ...events], displayTimeUnit: 'ms' };
}
