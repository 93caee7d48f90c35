// A container's status, recomputed from the kernel every time: the state file alone can be stale
// (the process may have exited or been killed with no runtime watching).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { State } from '../oci/spec.js';
import { containerCgroup } from './cgroup.js';
import { RuntimeError } from './errors.js';
import { isAlive } from './process-info.js';
import { EXEC_FIFO, type ContainerRecord, type StateStore } from './state-store.js';

export type ContainerStatus = 'creating' | 'created' | 'running' | 'paused' | 'stopped';

export function containerStatus(store: StateStore, record: ContainerRecord): ContainerStatus {
  if (record.stage === 'creating') return 'creating';
  if (!isAlive(record.pid, record.pidStartTime)) return 'stopped';
  if (existsSync(join(store.dir(record.id), EXEC_FIFO))) return 'created';
  try {
    if (containerCgroup(record).isFrozen()) return 'paused';
  } catch {
    // no freezer state readable: the container is not paused by us
  }
  return 'running';
}

export function ociState(record: ContainerRecord, status: ContainerStatus): State & { status: string } {
  return {
    ociVersion: record.ociVersion,
    id: record.id,
    status,
    pid: status === 'stopped' ? 0 : record.pid,
    bundle: record.bundle,
    annotations: record.annotations,
  };
}

/** Throws a BAD_STATE error unless the status is one of `allowed`. */
export function requireStatus(id: string, status: ContainerStatus, allowed: ContainerStatus[], action: string): void {
  if (!allowed.includes(status)) {
    throw new RuntimeError('BAD_STATE', `cannot ${action} container "${id}": it is ${status}`, id);
  }
}
