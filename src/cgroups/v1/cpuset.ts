// v1 cpuset: the CPUs and memory nodes a cgroup may use.
import type { Controller } from '../controller.js';
import type { CgroupDir } from '../files.js';
import { writeIfSet } from '../controller.js';

export const cpuset: Controller = {
  name: 'cpuset',
  wants: (r) => r.cpu?.cpus !== undefined || r.cpu?.mems !== undefined,
  apply(ctx, r) {
    writeIfSet(ctx, 'cpuset.cpus', r.cpu?.cpus || undefined, 'cpu.cpus');
    writeIfSet(ctx, 'cpuset.mems', r.cpu?.mems || undefined, 'cpu.mems');
  },
};

/** A new v1 cpuset starts with no CPUs and no nodes, and no task can join it until both are set:
 *  copy them from the parent. */
export function inheritCpuset(parent: CgroupDir, child: CgroupDir): void {
  for (const file of ['cpuset.cpus', 'cpuset.mems']) {
    if (child.read(file) === '') child.write(file, parent.read(file));
  }
}
