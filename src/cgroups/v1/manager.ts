// The cgroup v1 driver: one directory per hierarchy, each controller writing in its own.
import type { LinuxResources } from '../../oci/spec.js';
import type { Controller } from '../controller.js';
import { CgroupError } from '../errors.js';
import type { CgroupFs } from '../files.js';
import { CgroupDir, makeCgroupDir, realCgroupFs, removeCgroupDir, removeEmptyAncestors } from '../files.js';
import { VESSEL_PARENT, pathPrefixes } from '../path.js';
import { emptyStats } from '../stats.js';
import type { CgroupManager, CgroupStats } from '../types.js';
import { pollUntil } from '../wait.js';
import { blkio } from './blkio.js';
import { cpu } from './cpu.js';
import { cpuacct } from './cpuacct.js';
import { cpuset, inheritCpuset } from './cpuset.js';
import { devices } from './devices.js';
import { v1SetFrozen, v1State } from './freezer.js';
import type { Hierarchy } from './hierarchies.js';
import { hugetlb } from './hugetlb.js';
import { memory, oomKills } from './memory.js';
import { netCls } from './net-cls.js';
import { netPrio } from './net-prio.js';
import { pids } from '../pids.js';

// cpuset first: nothing can run in a cpuset without CPUs
const CONTROLLERS: Controller[] = [cpuset, memory, cpu, cpuacct, pids, blkio, devices, hugetlb, netCls, netPrio];
const FREEZE_TIMEOUT_MS = 5000;

export class V1CgroupManager implements CgroupManager {
  readonly driver = 'v1' as const;
  private lastNotices: string[] = [];

  constructor(
    readonly path: string,
    private readonly hierarchies: Hierarchy[],
    private readonly fs: CgroupFs = realCgroupFs,
  ) {
    if (hierarchies.length === 0) throw new CgroupError('CGROUP_NO_HIERARCHY', 'no cgroup v1 hierarchy is mounted', path);
  }

  private dirIn(h: Hierarchy, path = this.path): CgroupDir {
    return new CgroupDir(h.mountpoint + path, this.fs);
  }

  private dirFor(subsystem: string): CgroupDir | undefined {
    const h = this.hierarchies.find((x) => x.subsystems.includes(subsystem));
    return h && this.dirIn(h);
  }

  private requireDir(subsystem: string): CgroupDir {
    const dir = this.dirFor(subsystem);
    if (!dir) throw new CgroupError('CGROUP_NO_HIERARCHY', `the ${subsystem} cgroup hierarchy is not mounted`, this.path);
    return dir;
  }

  // where the task list is read: any hierarchy holds every task of the container
  private primary(): CgroupDir {
    return this.dirFor('pids') ?? this.dirFor('freezer') ?? this.dirIn(this.hierarchies[0]!);
  }

  create(): void {
    for (const h of this.hierarchies) {
      let parent = new CgroupDir(h.mountpoint, this.fs);
      for (const prefix of pathPrefixes(this.path)) {
        const dir = this.dirIn(h, prefix);
        makeCgroupDir(this.fs, dir.path);
        if (h.subsystems.includes('cpuset')) inheritCpuset(parent, dir);
        parent = dir;
      }
    }
  }

  apply(resources: LinuxResources): void {
    const notices: string[] = [];
    if (resources.unified && Object.keys(resources.unified).length > 0) {
      throw new CgroupError('CGROUP_UNSUPPORTED', `linux.resources.unified (${Object.keys(resources.unified).join(', ')}) needs cgroup v2; this host uses v1`, this.path);
    }
    if (resources.rdma && Object.keys(resources.rdma).length > 0) notices.push('rdma limits not applied: the v1 driver does not support the rdma controller');
    for (const c of CONTROLLERS) {
      const dir = this.dirFor(c.name);
      if (!dir) {
        if (c.wants(resources)) notices.push(`${c.name} limits not applied: the ${c.name} cgroup hierarchy is not mounted on this host`);
        continue;
      }
      c.apply({ dir, notice: (m) => notices.push(m) }, resources);
    }
    this.lastNotices = notices;
  }

  notices(): string[] {
    return [...this.lastNotices];
  }

  addProcess(pid: number): void {
    for (const h of this.hierarchies) this.dirIn(h).write('cgroup.procs', pid);
  }

  pids(): number[] {
    return this.primary().read('cgroup.procs').split('\n').filter(Boolean).map(Number);
  }

  freeze(): void {
    const dir = this.requireDir('freezer');
    v1SetFrozen(dir, true);
    if (!pollUntil(() => v1State(dir) === 'FROZEN', FREEZE_TIMEOUT_MS)) {
      v1SetFrozen(dir, false);
      throw new CgroupError('CGROUP_TIMEOUT', `cgroup ${dir.path} did not freeze within ${FREEZE_TIMEOUT_MS} ms`, dir.path);
    }
  }

  thaw(): void {
    v1SetFrozen(this.requireDir('freezer'), false);
  }

  isFrozen(): boolean {
    const dir = this.dirFor('freezer');
    return dir !== undefined && dir.has('freezer.state') && v1State(dir) === 'FROZEN';
  }

  stats(): CgroupStats {
    const stats = emptyStats();
    for (const c of CONTROLLERS) {
      const dir = this.dirFor(c.name);
      if (c.stats && dir && this.fs.exists(dir.path)) c.stats(dir, stats);
    }
    return stats;
  }

  oomKillCount(): number {
    return oomKills(this.requireDir('memory'));
  }

  destroy(): void {
    for (const h of this.hierarchies) {
      removeCgroupDir(this.fs, this.dirIn(h).path);
      removeEmptyAncestors(this.fs, h.mountpoint, this.path, VESSEL_PARENT);
    }
  }

  exists(): boolean {
    return this.hierarchies.some((h) => this.fs.exists(this.dirIn(h).path));
  }
}
