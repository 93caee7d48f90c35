// v2 cpu: cpu.weight (from shares), cpu.max (quota and period), cpu.max.burst, cpu.idle.
// Realtime budgets have no v2 form.
import type { Controller } from '../controller.js';
import { writeIfSet } from '../controller.js';
import { cpuMax, sharesToWeight } from '../convert.js';

export const cpu: Controller = {
  name: 'cpu',
  wants: (r) => {
    const c = r.cpu;
    return c !== undefined && [c.shares, c.quota, c.period, c.burst, c.idle, c.realtimeRuntime, c.realtimePeriod].some((v) => v !== undefined);
  },
  apply(ctx, r) {
    const c = r.cpu;
    if (!c) return;
    if (c.shares) writeIfSet(ctx, 'cpu.weight', sharesToWeight(c.shares), 'cpu.shares');
    if (c.quota !== undefined || c.period) {
      writeIfSet(ctx, 'cpu.max', cpuMax(c.quota === 0 ? undefined : c.quota, c.period, ctx.dir.read('cpu.max')), 'cpu.quota/period');
    }
    writeIfSet(ctx, 'cpu.max.burst', c.burst, 'cpu.burst');
    writeIfSet(ctx, 'cpu.idle', c.idle, 'cpu.idle');
    if (c.realtimeRuntime || c.realtimePeriod) ctx.notice('cpu.realtimeRuntime/realtimePeriod not applied: cgroup v2 has no realtime budget');
  },
  stats(dir, s) {
    const stat = dir.readKeyed('cpu.stat');
    const ns = (key: string) => (stat.get(key) ?? 0) * 1000;
    s.cpu.usageNs = ns('usage_usec');
    s.cpu.userNs = ns('user_usec');
    s.cpu.systemNs = ns('system_usec');
    s.cpu.throttledPeriods = stat.get('nr_throttled') ?? 0;
    s.cpu.throttledNs = ns('throttled_usec');
  },
};
