// The timeline for programs: one JSON object per step and per line (docs/trace.md).
import type { TraceStep } from '../step.js';

export function formatJsonLines(steps: TraceStep[]): string {
  return steps
    .map((s) => JSON.stringify({ startUs: s.startUs, durUs: s.durUs, concept: s.concept, op: s.op, detail: s.detail, pid: s.pid, ...(s.error ? { error: s.error } : {}) }))
    .map((line) => `${line}\n`)
    .join('');
}
