// v2 memory: memory.max, memory.low (from the reservation), memory.swap.max (OCI swap is
// memory+swap). v2 has no swappiness, kernel memory limit or OOM-killer switch.
import type { LinuxMemory } from '../../oci/spec.js';
import type { Controller } from '../controller.js';
import { writeIfSet } from '../controller.js';
import { swapMax, v2Limit } from '../convert.js';
import type { CgroupDir } from '../files.js';

const UNSUPPORTED: [keyof LinuxMemory, string][] = [
  ['kernel', 'memory.kernel'],
  ['kernelTCP', 'memory.kernelTCP'],
  ['swappiness', 'memory.swappiness'],
];

export const memory: Controller = {
  name: 'memory',
  wants: (r) => r.memory !== undefined,
  apply(ctx, r) {
    const m = r.memory;
    if (!m) return;
    if (m.swap !== undefined && m.swap !== 0) {
      if (!ctx.dir.has('memory.swap.max')) ctx.notice('memory.swap not applied: swap accounting is off on this kernel (no memory.swap.max)');
      else {
        const limit = m.limit ?? ctx.dir.readNumber('memory.max');
        writeIfSet(ctx, 'memory.max', m.limit === undefined ? undefined : v2Limit(m.limit), 'memory.limit');
        ctx.dir.write('memory.swap.max', swapMax(limit, m.swap));
      }
    } else {
      writeIfSet(ctx, 'memory.max', m.limit === undefined ? undefined : v2Limit(m.limit), 'memory.limit');
    }
    writeIfSet(ctx, 'memory.low', m.reservation === undefined ? undefined : v2Limit(m.reservation), 'memory.reservation');
    for (const [field, what] of UNSUPPORTED) {
      if (m[field] !== undefined && m[field] !== 0) ctx.notice(`${what} not applied: cgroup v2 has no such limit`);
    }
    if (m.disableOOMKiller) ctx.notice('memory.disableOOMKiller not applied: cgroup v2 cannot disable the OOM killer');
  },
  stats(dir, s) {
    s.memory.usage = dir.readNumber('memory.current');
    s.memory.limit = dir.readNumber('memory.max');
    if (dir.has('memory.peak')) s.memory.maxUsage = dir.readNumber('memory.peak');
    s.memory.cache = dir.readKeyed('memory.stat').get('file') ?? 0;
    s.memory.oomKills = oomKills(dir);
  },
};

export function oomKills(dir: CgroupDir): number {
  return dir.readKeyed('memory.events').get('oom_kill') ?? 0;
}
