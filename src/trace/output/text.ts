// The timeline for people: one aligned line per step, offset and duration in microseconds, the
// concept as a tag (coloured on a terminal), the process, the operation and its details.
import type { TraceConcept, TraceStep } from '../step.js';

const COLOURS: Record<TraceConcept, number> = {
  namespace: 35, // magenta
  cgroup: 33, // yellow
  rootfs: 34, // blue
  security: 31, // red
  network: 36, // cyan
  image: 32, // green
  process: 37, // white
};

const paint = (on: boolean, code: number, s: string): string => (on ? `\x1b[${code}m${s}\x1b[0m` : s);

export function formatText(steps: TraceStep[], colour: boolean): string {
  const total = steps.reduce((end, s) => Math.max(end, s.startUs + s.durUs), 0);
  const opWidth = Math.min(12, Math.max(2, ...steps.map((s) => s.op.length)));
  const pidWidth = Math.max(3, ...steps.map((s) => String(s.pid).length));
  const head = `${'+µs'.padStart(9)} ${'µs'.padStart(8)}  ${'concept'.padEnd(11)} ${'pid'.padStart(pidWidth)}  ${'op'.padEnd(opWidth)}  detail`;
  const lines = steps.map((s) => {
    const tag = paint(colour, COLOURS[s.concept], `[${s.concept}]`.padEnd(11));
    const failed = s.error ? `  ${paint(colour, 91, `failed: ${s.error}`)}` : '';
    return `${String(s.startUs).padStart(9)} ${String(s.durUs).padStart(8)}  ${tag} ${String(s.pid).padStart(pidWidth)}  ${s.op.padEnd(opWidth)}  ${s.detail}${failed}`;
  });
  return [`trace: ${steps.length} steps in ${total} µs`, paint(colour, 2, head), ...lines, ''].join('\n');
}
