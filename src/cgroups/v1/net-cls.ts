// v1 net_cls: the class id that tc and iptables match packets of this cgroup by.
import type { Controller } from '../controller.js';

export const netCls: Controller = {
  name: 'net_cls',
  wants: (r) => r.network?.classID !== undefined,
  apply(ctx, r) {
    if (r.network?.classID !== undefined) ctx.dir.write('net_cls.classid', r.network.classID);
  },
};
