// One step of a trace: something that touched the kernel, when, for how long, and which of the
// concepts a container is made of it belongs to. docs/trace.md documents these fields.

export const CONCEPTS = ['namespace', 'cgroup', 'rootfs', 'security', 'network', 'image', 'process'] as const;
export type TraceConcept = (typeof CONCEPTS)[number];

export interface TraceStep {
  concept: TraceConcept;
  /** What was done, short: "unshare", "mount", "write", "RTM_NEWLINK", "iptables -A". */
  op: string;
  /** Its arguments and, where the kernel answered with something, the answer. */
  detail: string;
  /** Microseconds since the trace began (CLOCK_MONOTONIC). */
  startUs: number;
  durUs: number;
  /** The process that made the step: this one, or a process of the container's plan. */
  pid: number;
  /** The errno code (EPERM…) or message when the step failed. */
  error?: string;
}

/** A step with its absolute start (CLOCK_MONOTONIC microseconds), before it joins a trace. */
export type TimedStep = Omit<TraceStep, 'startUs'> & { atUs: number };
