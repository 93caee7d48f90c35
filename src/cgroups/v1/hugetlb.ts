// v1 hugetlb: a byte limit per huge page size.
import type { Controller } from '../controller.js';

export const hugetlb: Controller = {
  name: 'hugetlb',
  wants: (r) => (r.hugepageLimits?.length ?? 0) > 0,
  apply(ctx, r) {
    for (const h of r.hugepageLimits ?? []) ctx.dir.write(`hugetlb.${h.pageSize}.limit_in_bytes`, h.limit);
  },
};
