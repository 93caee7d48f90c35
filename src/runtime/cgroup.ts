// The runtime's view of a container's cgroup: one manager per container, from its record. A
// rootless runtime uses a cgroup only where the user may write the tree it would go in; elsewhere
// (this host's cgroup v1, an undelegated v2 tree) the container runs without one, as runc does.
import { accessSync, constants, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { cgroupManager, detectCgroupDriver, resolveCgroupPath, type CgroupManager } from '../cgroups/index.js';
import { CGROUP_ROOT } from '../cgroups/detect.js';
import { v1Hierarchies } from '../cgroups/v1/hierarchies.js';
import type { LinuxResources } from '../oci/spec.js';
import { runningRootless } from '../rootless/identity.js';
import { NoCgroup } from './no-cgroup.js';
import type { ContainerRecord } from './state-store.js';

/** The cgroupPath a record has when the container has no cgroup. */
export const NO_CGROUP_PATH = '';

type CgroupRecord = Pick<ContainerRecord, 'id' | 'config' | 'pid' | 'pidStartTime' | 'cgroupPath'>;

export function containerCgroup(record: CgroupRecord): CgroupManager {
  if (record.cgroupPath === NO_CGROUP_PATH) return new NoCgroup(record);
  return cgroupManager(record.config.linux?.cgroupsPath, record.id);
}

/** For a new container: its cgroup manager, or none (with the reason) when it may not have one. */
export function newContainerCgroup(record: Omit<CgroupRecord, 'cgroupPath'>): { cgroup: CgroupManager; skipped?: string } {
  const manager = cgroupManager(record.config.linux?.cgroupsPath, record.id);
  if (!runningRootless() || writableEverywhere(manager.path)) return { cgroup: manager };
  const why = detectCgroupDriver() === 'v1'
    ? 'running rootless on cgroup v1, where nothing is delegated to a user'
    : `running rootless, and the cgroup tree at ${resolveCgroupPath(record.config.linux?.cgroupsPath, record.id)} is not delegated to this user`;
  return { cgroup: new NoCgroup(record), skipped: why };
}

/** Names of the limits in `resources` (device rules are not limits: a rootless container has the user's own). */
export function requestedLimits(resources: LinuxResources | undefined): string[] {
  if (!resources) return [];
  const names: string[] = [];
  const set = (v: unknown) => v !== undefined && v !== null && !(typeof v === 'object' && Object.values(v as object).every((x) => x === undefined));
  for (const key of ['memory', 'cpu', 'pids', 'blockIO', 'hugepageLimits', 'network', 'rdma', 'unified'] as const) {
    const v = resources[key];
    if (Array.isArray(v) ? v.length > 0 : set(v)) names.push(key);
  }
  return names;
}

function writableEverywhere(path: string): boolean {
  const roots = detectCgroupDriver() === 'v2' ? [CGROUP_ROOT] : v1Hierarchies().map((h) => h.mountpoint);
  return roots.length > 0 && roots.every((root) => writableAncestor(join(root, path), root));
}

/** True if the deepest existing directory on the way to `dir` (not above `root`) is writable by us. */
function writableAncestor(dir: string, root: string): boolean {
  let d = dir;
  while (!existsSync(d) && d !== root && d !== '/') d = dirname(d);
  try {
    accessSync(d, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}
