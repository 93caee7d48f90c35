// Network counters of a container: /proc/<init pid>/net/dev shows its network namespace's devices.
import { readFileSync } from 'node:fs';

export interface NetCounters {
  rxBytes: number;
  txBytes: number;
}

/** Sums every device but loopback in /proc/<pid>/net/dev's text. */
export function parseNetDev(text: string): NetCounters {
  const total = { rxBytes: 0, txBytes: 0 };
  // two header lines, then "  eth0: rxBytes rxPackets ... (8 rx fields) txBytes ..."
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0 || line.slice(0, colon).trim() === 'lo') continue;
    const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
    total.rxBytes += f[0] ?? 0;
    total.txBytes += f[8] ?? 0;
  }
  return total;
}

/** Zero when the process is gone. */
export function netCounters(pid: number): NetCounters {
  try {
    return parseNetDev(readFileSync(`/proc/${pid}/net/dev`, 'utf8'));
  } catch {
    return { rxBytes: 0, txBytes: 0 };
  }
}
