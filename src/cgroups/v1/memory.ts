// v1 memory: limits, soft limit, memory+swap, kernel memory, swappiness, the OOM killer switch.
import type { LinuxMemory } from '../../oci/spec.js';
import type { ApplyContext, Controller } from '../controller.js';
import { writeIfSet } from '../controller.js';
import type { CgroupDir } from '../files.js';

const LIMIT = 'memory.limit_in_bytes';
const MEMSW = 'memory.memsw.limit_in_bytes';

// The kernel refuses memory > memory+swap at every moment, so the order of the two writes
// depends on whether the pair is growing or shrinking.
function applyLimitAndSwap(ctx: ApplyContext, m: LinuxMemory): void {
  const { limit, swap } = m;
  if (swap !== undefined && !ctx.dir.has(MEMSW)) {
    ctx.notice('memory.swap not applied: swap accounting is off on this kernel (no memory.memsw.limit_in_bytes)');
    writeIfSet(ctx, LIMIT, limit, 'memory.limit');
    return;
  }
  if (limit !== undefined && swap !== undefined) {
    const current = ctx.dir.readNumber(MEMSW);
    const growing = swap < 0 || (current >= 0 && swap > current);
    if (growing) {
      ctx.dir.write(MEMSW, swap);
      ctx.dir.write(LIMIT, limit);
    } else {
      ctx.dir.write(LIMIT, limit);
      ctx.dir.write(MEMSW, swap);
    }
    return;
  }
  writeIfSet(ctx, LIMIT, limit, 'memory.limit');
  writeIfSet(ctx, MEMSW, swap, 'memory.swap');
}

export const memory: Controller = {
  name: 'memory',
  wants: (r) => r.memory !== undefined,
  apply(ctx, r) {
    const m = r.memory;
    if (!m) return;
    applyLimitAndSwap(ctx, m);
    writeIfSet(ctx, 'memory.soft_limit_in_bytes', m.reservation, 'memory.reservation');
    writeIfSet(ctx, 'memory.kmem.limit_in_bytes', m.kernel, 'memory.kernel');
    writeIfSet(ctx, 'memory.kmem.tcp.limit_in_bytes', m.kernelTCP, 'memory.kernelTCP');
    writeIfSet(ctx, 'memory.swappiness', m.swappiness, 'memory.swappiness');
    if (m.disableOOMKiller !== undefined) writeIfSet(ctx, 'memory.oom_control', m.disableOOMKiller ? 1 : 0, 'memory.disableOOMKiller');
    if (m.useHierarchy === false) ctx.notice('memory.useHierarchy=false not applied: this kernel always accounts hierarchically');
  },
  stats(dir, s) {
    s.memory.usage = dir.readNumber('memory.usage_in_bytes');
    s.memory.limit = dir.readNumber(LIMIT);
    s.memory.maxUsage = dir.readNumber('memory.max_usage_in_bytes');
    const stat = dir.readKeyed('memory.stat');
    s.memory.cache = stat.get('total_cache') ?? stat.get('cache') ?? 0;
    s.memory.oomKills = oomKills(dir);
  },
};

export function oomKills(dir: CgroupDir): number {
  return dir.readKeyed('memory.oom_control').get('oom_kill') ?? 0;
}
