// `events`: resource usage of a container (once with --stats, or every interval) and OOM kills,
// as JSON lines in runc's shape.
import { containerCgroup } from '../cgroup.js';
import type { RuntimeContext } from '../context.js';
import type { CgroupStats } from '../../cgroups/index.js';
import { containerStatus, requireStatus } from '../status.js';

export interface RuntimeEvent {
  type: 'stats' | 'oom';
  id: string;
  data?: Record<string, unknown>;
}

function statsData(s: CgroupStats): Record<string, unknown> {
  return {
    cpu: {
      usage: { total: s.cpu.usageNs, kernel: s.cpu.systemNs, user: s.cpu.userNs },
      throttling: { throttledPeriods: s.cpu.throttledPeriods, throttledTime: s.cpu.throttledNs },
    },
    memory: {
      usage: { usage: s.memory.usage, limit: s.memory.limit, max: s.memory.maxUsage ?? 0 },
      cache: s.memory.cache ?? 0,
      oomKills: s.memory.oomKills ?? 0,
    },
    pids: { current: s.pids.current, limit: s.pids.limit },
    blkio: {
      ioServiceBytesRecursive: [
        { op: 'Read', value: s.blkio.readBytes },
        { op: 'Write', value: s.blkio.writeBytes },
      ],
      ioServicedRecursive: [
        { op: 'Read', value: s.blkio.readOps },
        { op: 'Write', value: s.blkio.writeOps },
      ],
    },
  };
}

export function statsEvent(ctx: RuntimeContext, id: string): RuntimeEvent {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['created', 'running', 'paused'], 'read stats of');
  return { type: 'stats', id, data: statsData(containerCgroup(record).stats()) };
}

/** Emits stats every `intervalMs` and an "oom" event per new OOM kill, until the container stops. */
export async function watchEvents(ctx: RuntimeContext, id: string, intervalMs: number, emit: (e: RuntimeEvent) => void): Promise<void> {
  const record = ctx.store.read(id);
  const cgroup = containerCgroup(record);
  let ooms = cgroup.oomKillCount();
  for (;;) {
    if (containerStatus(ctx.store, record) === 'stopped' || !cgroup.exists()) return;
    const now = cgroup.oomKillCount();
    for (; ooms < now; ooms++) emit({ type: 'oom', id });
    emit({ type: 'stats', id, data: statsData(cgroup.stats()) });
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}
