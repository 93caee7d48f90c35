// v2 rdma: rdma.max per HCA device.
import type { Controller } from '../controller.js';

export const rdma: Controller = {
  name: 'rdma',
  wants: (r) => Object.keys(r.rdma ?? {}).length > 0,
  apply(ctx, r) {
    for (const [device, limit] of Object.entries(r.rdma ?? {})) {
      const kv = [
        limit.hcaHandles === undefined ? '' : ` hca_handle=${limit.hcaHandles}`,
        limit.hcaObjects === undefined ? '' : ` hca_object=${limit.hcaObjects}`,
      ].join('');
      if (kv) ctx.dir.write('rdma.max', `${device}${kv}`);
    }
  },
};
