// The cgroup v2 driver: one directory in the unified hierarchy; controllers are made available
// by enabling them in each ancestor's cgroup.subtree_control.
import type { LinuxResources } from '../../oci/spec.js';
import type { BpfSys } from '../../sys/bpf.js';
import { bpfSys } from '../../sys/bpf.js';
import type { Controller } from '../controller.js';
import { normalizeDeviceRule } from '../devices.js';
import { CgroupError, errnoCode } from '../errors.js';
import type { CgroupFs } from '../files.js';
import { CgroupDir, makeCgroupDir, realCgroupFs, removeCgroupDir, removeEmptyAncestors } from '../files.js';
import { VESSEL_PARENT, pathPrefixes } from '../path.js';
import { emptyStats } from '../stats.js';
import type { CgroupManager, CgroupStats } from '../types.js';
import { pollUntil } from '../wait.js';
import { cpu } from './cpu.js';
import { cpuset } from './cpuset.js';
import { attachDeviceProgram } from './devices.js';
import { v2IsFrozen, v2SetFrozen } from './freezer.js';
import { hugetlb } from './hugetlb.js';
import { io } from './io.js';
import { memory, oomKills } from './memory.js';
import { pids } from '../pids.js';
import { rdma } from './rdma.js';
import { applyUnified } from './unified.js';

const CONTROLLERS: Controller[] = [cpuset, memory, cpu, pids, io, hugetlb, rdma];
const FREEZE_TIMEOUT_MS = 5000;

export class V2CgroupManager implements CgroupManager {
  readonly driver = 'v2' as const;
  private readonly dir: CgroupDir;
  private lastNotices: string[] = [];

  constructor(
    readonly path: string,
    private readonly root: string,
    private readonly fs: CgroupFs = realCgroupFs,
    private readonly bpf: () => BpfSys = bpfSys,
  ) {
    this.dir = new CgroupDir(root + path, fs);
  }

  create(): void {
    let parent = new CgroupDir(this.root, this.fs);
    for (const prefix of pathPrefixes(this.path)) {
      enableControllers(parent);
      const dir = new CgroupDir(this.root + prefix, this.fs);
      makeCgroupDir(this.fs, dir.path);
      parent = dir;
    }
  }

  apply(resources: LinuxResources): void {
    const notices: string[] = [];
    const enabled = new Set(this.dir.read('cgroup.controllers').split(/\s+/).filter(Boolean));
    const ctx = { dir: this.dir, notice: (m: string) => notices.push(m) };
    for (const c of CONTROLLERS) {
      if (!c.wants(resources)) continue;
      if (!enabled.has(c.name)) {
        notices.push(`${c.name} limits not applied: the ${c.name} controller is not available to ${this.dir.path}`);
        continue;
      }
      c.apply(ctx, resources);
    }
    if (resources.devices) attachDeviceProgram(this.bpf(), this.dir.path, resources.devices.map(normalizeDeviceRule));
    if (resources.network?.classID !== undefined || resources.network?.priorities?.length) {
      notices.push('network classID/priorities not applied: cgroup v2 has no net_cls/net_prio (use BPF socket filters instead)');
    }
    if (resources.unified) applyUnified(ctx, resources.unified);
    this.lastNotices = notices;
  }

  notices(): string[] {
    return [...this.lastNotices];
  }

  addProcess(pid: number): void {
    this.dir.write('cgroup.procs', pid);
  }

  pids(): number[] {
    return this.dir.read('cgroup.procs').split('\n').filter(Boolean).map(Number);
  }

  freeze(): void {
    v2SetFrozen(this.dir, true);
    if (!pollUntil(() => v2IsFrozen(this.dir), FREEZE_TIMEOUT_MS)) {
      v2SetFrozen(this.dir, false);
      throw new CgroupError('CGROUP_TIMEOUT', `cgroup ${this.dir.path} did not freeze within ${FREEZE_TIMEOUT_MS} ms`, this.dir.path);
    }
  }

  thaw(): void {
    v2SetFrozen(this.dir, false);
  }

  isFrozen(): boolean {
    return this.dir.has('cgroup.events') && v2IsFrozen(this.dir);
  }

  stats(): CgroupStats {
    const stats = emptyStats();
    const enabled = new Set(this.dir.read('cgroup.controllers').split(/\s+/));
    for (const c of CONTROLLERS) if (c.stats && enabled.has(c.name)) c.stats(this.dir, stats);
    // cpu.stat's usage is there even without the cpu controller; only throttling needs it
    if (!enabled.has('cpu')) cpu.stats?.(this.dir, stats);
    return stats;
  }

  oomKillCount(): number {
    return oomKills(this.dir);
  }

  destroy(): void {
    removeCgroupDir(this.fs, this.dir.path);
    removeEmptyAncestors(this.fs, this.root, this.path, VESSEL_PARENT);
  }

  exists(): boolean {
    return this.fs.exists(this.dir.path);
  }
}

// Only the controllers this cgroup offers and has not enabled yet are written, so an ancestor
// that someone else manages is left as it is when it already delegates what we need. An ancestor
// we may not write (a rootless runtime above the subtree delegated to its user) gives its children
// what it already enables; the limits that then cannot apply are reported by apply().
function enableControllers(parent: CgroupDir): void {
  const available = parent.read('cgroup.controllers').split(/\s+/).filter(Boolean);
  const enabled = new Set(parent.read('cgroup.subtree_control').split(/\s+/).filter(Boolean));
  const missing = available.filter((c) => !enabled.has(c));
  if (missing.length === 0) return;
  try {
    parent.write('cgroup.subtree_control', missing.map((c) => `+${c}`).join(' '));
  } catch (err) {
    const code = errnoCode((err as CgroupError).cause);
    if (code !== 'EACCES' && code !== 'EPERM') throw err;
  }
}
