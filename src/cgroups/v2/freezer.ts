// v2 freezer: cgroup.freeze requests it, cgroup.events reports when every task has stopped.
import type { CgroupDir } from '../files.js';

export function v2SetFrozen(dir: CgroupDir, frozen: boolean): void {
  dir.write('cgroup.freeze', frozen ? 1 : 0);
}

export function v2IsFrozen(dir: CgroupDir): boolean {
  return dir.readKeyed('cgroup.events').get('frozen') === 1;
}
