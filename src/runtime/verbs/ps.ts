// `ps`: the processes of a container (its cgroup's members).
import { containerCgroup } from '../cgroup.js';
import type { RuntimeContext } from '../context.js';
import { containerStatus, requireStatus } from '../status.js';

export function containerPids(ctx: RuntimeContext, id: string): number[] {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['created', 'running', 'paused'], 'list processes of');
  return containerCgroup(record).pids();
}
