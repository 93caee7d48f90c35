// The public shape of a container's cgroup, the same for both drivers.
import type { LinuxResources } from '../oci/spec.js';

export type CgroupDriver = 'v1' | 'v2';

/** Usage counters. A limit of -1 means "no limit". */
export interface CgroupStats {
  cpu: { usageNs: number; userNs: number; systemNs: number; throttledPeriods: number; throttledNs: number };
  memory: { usage: number; limit: number; maxUsage?: number; cache?: number; oomKills?: number };
  pids: { current: number; limit: number };
  blkio: { readBytes: number; writeBytes: number; readOps: number; writeOps: number };
}

export interface CgroupManager {
  readonly driver: CgroupDriver;
  /** The cgroup path inside each hierarchy, e.g. "/vessel/<id>". */
  readonly path: string;
  /** mkdir -p in every hierarchy (v1) or the unified one (v2), with controllers made available. */
  create(): void;
  /** Writes every limit in `resources`; fields left undefined are left as they are (update). */
  apply(resources: LinuxResources): void;
  /** Fields of the last apply() that this host cannot honour (absent controller or file), in words. */
  notices(): string[];
  addProcess(pid: number): void;
  pids(): number[];
  freeze(): void;
  thaw(): void;
  isFrozen(): boolean;
  stats(): CgroupStats;
  oomKillCount(): number;
  /** Removes the cgroup everywhere, retrying briefly while tasks exit; idempotent. */
  destroy(): void;
  exists(): boolean;
}
