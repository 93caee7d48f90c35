// What each per-controller file of a driver provides: which resources it handles, how it writes
// them, and the usage it reports.
import type { LinuxResources } from '../oci/spec.js';
import type { CgroupDir } from './files.js';
import type { CgroupStats } from './types.js';

export interface ApplyContext {
  dir: CgroupDir;
  /** Records a requested setting this host cannot honour. */
  notice(message: string): void;
}

export interface Controller {
  /** v1: the subsystem whose hierarchy it writes; v2: the controller in cgroup.controllers. */
  readonly name: string;
  /** Whether `resources` asks anything of this controller. */
  wants(resources: LinuxResources): boolean;
  apply(ctx: ApplyContext, resources: LinuxResources): void;
  stats?(dir: CgroupDir, stats: CgroupStats): void;
}

/** Writes `value` to `file` if it is defined; notes it when the file is absent on this kernel. */
export function writeIfSet(ctx: ApplyContext, file: string, value: string | number | undefined, what: string): void {
  if (value === undefined) return;
  if (!ctx.dir.has(file)) {
    ctx.notice(`${what} not applied: this kernel has no ${file}`);
    return;
  }
  ctx.dir.write(file, value);
}
