// Errors of the cgroups layer: each names the cgroup file (or directory) and the value involved.
import { VesselError } from '../vessel-error.js';
export type CgroupErrorCode =
  | 'CGROUP_READ'
  | 'CGROUP_WRITE'
  | 'CGROUP_MKDIR'
  | 'CGROUP_RMDIR'
  | 'CGROUP_INVALID'
  | 'CGROUP_UNSUPPORTED'
  | 'CGROUP_BPF'
  | 'CGROUP_TIMEOUT'
  | 'CGROUP_NO_HIERARCHY';

export class CgroupError extends VesselError {
  override readonly name = 'CgroupError';
  constructor(
    readonly code: CgroupErrorCode,
    message: string,
    readonly path?: string,
    readonly value?: string,
    options?: { cause?: unknown },
  ) {
    // a value the kernel refuses (CGROUP_INVALID) is the caller's; the rest is the system's
    super(message, { status: code === 'CGROUP_INVALID' ? 'invalidParameter' : code === 'CGROUP_UNSUPPORTED' ? 'notImplemented' : 'system', object: path, cause: options?.cause });
  }
}

/** The errno code (ENOENT, EBUSY…) of a Node system error, if it is one. */
export function errnoCode(err: unknown): string | undefined {
  return typeof err === 'object' && err !== null && 'code' in err && typeof err.code === 'string' ? err.code : undefined;
}
