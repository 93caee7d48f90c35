// v2 cpuset: an empty cpuset.cpus/mems already means "the parent's", so only explicit values are written.
import type { Controller } from '../controller.js';
import { writeIfSet } from '../controller.js';

export const cpuset: Controller = {
  name: 'cpuset',
  wants: (r) => Boolean(r.cpu?.cpus || r.cpu?.mems),
  apply(ctx, r) {
    writeIfSet(ctx, 'cpuset.cpus', r.cpu?.cpus || undefined, 'cpu.cpus');
    writeIfSet(ctx, 'cpuset.mems', r.cpu?.mems || undefined, 'cpu.mems');
  },
};
