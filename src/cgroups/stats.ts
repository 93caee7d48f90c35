// A zeroed CgroupStats that each controller fills in with what its hierarchy reports.
import type { CgroupStats } from './types.js';

export function emptyStats(): CgroupStats {
  return {
    cpu: { usageNs: 0, userNs: 0, systemNs: 0, throttledPeriods: 0, throttledNs: 0 },
    memory: { usage: 0, limit: -1 },
    pids: { current: 0, limit: -1 },
    blkio: { readBytes: 0, writeBytes: 0, readOps: 0, writeOps: 0 },
  };
}
