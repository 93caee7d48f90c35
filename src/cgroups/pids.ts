// pids: pids.max and pids.current, the same files under cgroup v1 and v2.
import type { Controller } from './controller.js';
import { pidsMax } from './convert.js';
import { parseLimit } from './files.js';

export const pids: Controller = {
  name: 'pids',
  wants: (r) => r.pids !== undefined,
  apply(ctx, r) {
    const value = r.pids && pidsMax(r.pids.limit);
    if (value !== undefined) ctx.dir.write('pids.max', value);
  },
  stats(dir, s) {
    s.pids.current = dir.readNumber('pids.current');
    s.pids.limit = parseLimit(dir.read('pids.max'));
  },
};
