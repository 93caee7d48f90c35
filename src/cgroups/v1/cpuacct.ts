// v1 cpuacct: CPU time used (only statistics; it has no limits).
import type { Controller } from '../controller.js';

// cpuacct.stat counts USER_HZ ticks, which Linux fixes at 100 per second
const NS_PER_TICK = 10_000_000;

export const cpuacct: Controller = {
  name: 'cpuacct',
  wants: () => false,
  apply() {},
  stats(dir, s) {
    s.cpu.usageNs = dir.readNumber('cpuacct.usage');
    if (dir.has('cpuacct.usage_user')) {
      s.cpu.userNs = dir.readNumber('cpuacct.usage_user');
      s.cpu.systemNs = dir.readNumber('cpuacct.usage_sys');
    } else {
      const stat = dir.readKeyed('cpuacct.stat');
      s.cpu.userNs = (stat.get('user') ?? 0) * NS_PER_TICK;
      s.cpu.systemNs = (stat.get('system') ?? 0) * NS_PER_TICK;
    }
  },
};
