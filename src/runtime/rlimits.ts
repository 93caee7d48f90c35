// RLIMIT_* names and numbers, and the host's current limits (which bound what we can set).
import { readFileSync } from 'node:fs';

export const RLIMITS: Record<string, number> = {
  RLIMIT_CPU: 0, RLIMIT_FSIZE: 1, RLIMIT_DATA: 2, RLIMIT_STACK: 3, RLIMIT_CORE: 4, RLIMIT_RSS: 5,
  RLIMIT_NPROC: 6, RLIMIT_NOFILE: 7, RLIMIT_MEMLOCK: 8, RLIMIT_AS: 9, RLIMIT_LOCKS: 10,
  RLIMIT_SIGPENDING: 11, RLIMIT_MSGQUEUE: 12, RLIMIT_NICE: 13, RLIMIT_RTPRIO: 14, RLIMIT_RTTIME: 15,
};

// /proc/self/limits rows, in RLIMIT order
const LIMIT_ROWS = [
  'Max cpu time', 'Max file size', 'Max data size', 'Max stack size', 'Max core file size',
  'Max resident set', 'Max processes', 'Max open files', 'Max locked memory', 'Max address space',
  'Max file locks', 'Max pending signals', 'Max msgqueue size', 'Max nice priority',
  'Max realtime priority', 'Max realtime timeout',
];

export const RLIM_INFINITY = 0xffffffffffffffffn;

/** Hard limits of this process, by resource number. */
export function currentHardLimits(): Map<number, bigint> {
  const out = new Map<number, bigint>();
  for (const line of readFileSync('/proc/self/limits', 'utf8').split('\n')) {
    const i = LIMIT_ROWS.findIndex((row) => line.startsWith(row));
    if (i < 0) continue;
    const hard = line.slice(26).trim().split(/\s+/)[1];
    out.set(i, hard === 'unlimited' ? RLIM_INFINITY : BigInt(hard ?? '0'));
  }
  return out;
}

export function toRlimitValue(n: number): bigint {
  // JSON cannot hold 2^64-1 exactly; anything at or above 2^63 (or negative) means "unlimited".
  if (n < 0 || n >= 2 ** 63) return RLIM_INFINITY;
  return BigInt(Math.trunc(n));
}
