// A container with no cgroup of its own: what a rootless container gets where nothing is delegated
// to the user (cgroup v1, or a v2 tree the user cannot write). Limits are not applied, pause and
// stats are refused with a reason, and its processes are found through its pid namespace instead.
import { readFileSync, readdirSync, readlinkSync } from 'node:fs';
import type { LinuxResources } from '../oci/spec.js';
import { detectCgroupDriver, type CgroupDriver, type CgroupManager, type CgroupStats } from '../cgroups/index.js';
import { RuntimeError } from './errors.js';
import { isAlive } from './process-info.js';
import type { ContainerRecord } from './state-store.js';

export type NoCgroupRecord = Pick<ContainerRecord, 'id' | 'config' | 'pid' | 'pidStartTime'>;

export class NoCgroup implements CgroupManager {
  readonly driver: CgroupDriver = detectCgroupDriver();
  readonly path = '';
  constructor(private readonly record: NoCgroupRecord) {}

  create(): void {}
  apply(_resources: LinuxResources): void {}
  notices(): string[] {
    return [`container "${this.record.id}" has no cgroup (running rootless with no cgroup delegated): limits are not enforced`];
  }
  addProcess(_pid: number): void {}

  /** The processes of the container's own pid namespace, else its init alone. */
  pids(): number[] {
    const { pid, pidStartTime, config } = this.record;
    if (!isAlive(pid, pidStartTime)) return [];
    const ownPidNs = (config.linux?.namespaces ?? []).some((n) => n.type === 'pid' && !n.path);
    const ns = ownPidNs ? pidNamespace(pid) : undefined;
    if (!ns) return [pid];
    return readdirSync('/proc')
      .filter((n) => /^\d+$/.test(n))
      .map(Number)
      .filter((p) => pidNamespace(p) === ns && !isZombie(p));
  }

  freeze(): void {
    throw this.refused('be paused');
  }
  thaw(): void {
    throw this.refused('be resumed');
  }
  isFrozen(): boolean {
    return false;
  }
  stats(): CgroupStats {
    throw this.refused('report usage');
  }
  oomKillCount(): number {
    return 0;
  }
  destroy(): void {}
  exists(): boolean {
    return false;
  }

  private refused(what: string): RuntimeError {
    return new RuntimeError('NO_CGROUP', `container "${this.record.id}" has no cgroup (it runs rootless with no cgroup delegated), so it cannot ${what}`, this.record.id);
  }
}

function pidNamespace(pid: number): string | undefined {
  try {
    return readlinkSync(`/proc/${pid}/ns/pid`);
  } catch {
    return undefined;
  }
}

/** A zombie has left its namespace already in all but name: nothing to signal or list. */
function isZombie(pid: number): boolean {
  try {
    return /^State:\s+Z/m.test(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return true;
  }
}
