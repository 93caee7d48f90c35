// v1 cpu: shares, CFS quota/period/burst, realtime budget, idle; throttling statistics.
import type { Controller } from '../controller.js';
import { writeIfSet } from '../controller.js';

export const cpu: Controller = {
  name: 'cpu',
  wants: (r) => {
    const c = r.cpu;
    return c !== undefined && [c.shares, c.quota, c.period, c.burst, c.realtimePeriod, c.realtimeRuntime, c.idle].some((v) => v !== undefined);
  },
  apply(ctx, r) {
    const c = r.cpu;
    if (!c) return;
    writeIfSet(ctx, 'cpu.shares', c.shares || undefined, 'cpu.shares');
    // the period first: a quota is checked against the period in force
    writeIfSet(ctx, 'cpu.cfs_period_us', c.period || undefined, 'cpu.period');
    writeIfSet(ctx, 'cpu.cfs_quota_us', c.quota, 'cpu.quota');
    writeIfSet(ctx, 'cpu.cfs_burst_us', c.burst, 'cpu.burst');
    writeIfSet(ctx, 'cpu.rt_period_us', c.realtimePeriod || undefined, 'cpu.realtimePeriod');
    writeIfSet(ctx, 'cpu.rt_runtime_us', c.realtimeRuntime, 'cpu.realtimeRuntime');
    writeIfSet(ctx, 'cpu.idle', c.idle, 'cpu.idle');
  },
  stats(dir, s) {
    const stat = dir.readKeyed('cpu.stat');
    s.cpu.throttledPeriods = stat.get('nr_throttled') ?? 0;
    s.cpu.throttledNs = stat.get('throttled_time') ?? 0;
  },
};
