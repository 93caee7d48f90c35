// v1 net_prio: per-interface priority of this cgroup's traffic, one interface per write.
import type { Controller } from '../controller.js';

export const netPrio: Controller = {
  name: 'net_prio',
  wants: (r) => (r.network?.priorities?.length ?? 0) > 0,
  apply(ctx, r) {
    for (const p of r.network?.priorities ?? []) ctx.dir.write('net_prio.ifpriomap', `${p.name} ${p.priority}`);
  },
};
