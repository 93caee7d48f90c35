// Which driver this host needs, decided once per process.
import { statfsSync } from 'node:fs';
import type { CgroupDriver } from './types.js';

export const CGROUP_ROOT = '/sys/fs/cgroup';
const CGROUP2_SUPER_MAGIC = 0x63677270;

let detected: CgroupDriver | undefined;

/** v2 only when /sys/fs/cgroup itself is cgroup2 (pure unified); hybrid hosts count as v1. */
export function detectCgroupDriver(): CgroupDriver {
  detected ??= statfsSync(CGROUP_ROOT).type === CGROUP2_SUPER_MAGIC ? 'v2' : 'v1';
  return detected;
}
