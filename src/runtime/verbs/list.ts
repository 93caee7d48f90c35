// `list`: every container the state directory knows, with its current status.
import type { RuntimeContext } from '../context.js';
import { containerStatus, type ContainerStatus } from '../status.js';

export interface ContainerSummary {
  ociVersion: string;
  id: string;
  pid: number;
  status: ContainerStatus;
  bundle: string;
  rootfs: string;
  created: string;
  owner: string;
  annotations: Record<string, string>;
}

export function list(ctx: RuntimeContext): ContainerSummary[] {
  const out: ContainerSummary[] = [];
  for (const id of ctx.store.ids()) {
    let record;
    try {
      record = ctx.store.read(id);
    } catch {
      continue; // removed while we listed
    }
    const status = containerStatus(ctx.store, record);
    out.push({
      ociVersion: record.ociVersion, id, pid: status === 'stopped' ? 0 : record.pid, status,
      bundle: record.bundle, rootfs: record.rootfs, created: record.created, owner: record.owner,
      annotations: record.annotations,
    });
  }
  return out;
}
