// Cgroups for containers: one CgroupManager interface over the v1 and v2 drivers.
import { activeTracer } from '../trace/active.js';
import { CGROUP_ROOT, detectCgroupDriver } from './detect.js';
import { realCgroupFs } from './files.js';
import { resolveCgroupPath } from './path.js';
import { tracedCgroupFs } from './traced-fs.js';
import type { CgroupManager } from './types.js';
import { v1Hierarchies } from './v1/hierarchies.js';
import { V1CgroupManager } from './v1/manager.js';
import { V2CgroupManager } from './v2/manager.js';

export type { CgroupDriver, CgroupManager, CgroupStats } from './types.js';
export { CgroupError } from './errors.js';
export type { CgroupErrorCode } from './errors.js';
export { DEFAULT_ALLOWED_DEVICES } from './devices.js';
export { detectCgroupDriver } from './detect.js';
export { resolveCgroupPath, VESSEL_PARENT } from './path.js';

/** The cgroup of one container: undefined -> "/vessel/<id>"; relative -> "/vessel/<relative>"; absolute as is. */
export function cgroupManager(cgroupsPath: string | undefined, containerId: string): CgroupManager {
  const path = resolveCgroupPath(cgroupsPath, containerId);
  const tracer = activeTracer();
  const fs = tracer.enabled ? tracedCgroupFs(realCgroupFs, tracer) : realCgroupFs;
  return detectCgroupDriver() === 'v2' ? new V2CgroupManager(path, CGROUP_ROOT, fs) : new V1CgroupManager(path, v1Hierarchies(), fs);
}
export { V1CgroupManager } from './v1/manager.js';
export { V2CgroupManager } from './v2/manager.js';
export type { CgroupFs } from './files.js';
