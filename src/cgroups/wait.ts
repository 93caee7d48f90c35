// Synchronous waiting for the few cgroup state changes that take a moment (freezing, tasks exiting).
import { sleepSync } from '../sys/sleep.js';

/** Polls `done` every `stepMs` until it returns true or `timeoutMs` passes; returns the last answer. */
export function pollUntil(done: () => boolean, timeoutMs: number, stepMs = 10): boolean {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (done()) return true;
    if (Date.now() >= deadline) return false;
    sleepSync(stepMs);
  }
}
