// `pause` and `resume`: freeze and thaw every process of the container through its cgroup.
import { containerCgroup } from '../cgroup.js';
import type { RuntimeContext } from '../context.js';
import { containerStatus, requireStatus } from '../status.js';

export function pause(ctx: RuntimeContext, id: string): void {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['running', 'created'], 'pause');
  containerCgroup(record).freeze();
}

export function resume(ctx: RuntimeContext, id: string): void {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['paused'], 'resume');
  containerCgroup(record).thaw();
}
