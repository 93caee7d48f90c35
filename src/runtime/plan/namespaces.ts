// Namespaces: which to create, which to join, and the plan steps for both.
import { closeSync, fstatSync, openSync, statSync } from 'node:fs';
import type { Namespace, NamespaceType } from '../../oci/spec.js';
import { CloneFlag } from '../../sys/native.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { invalidConfig } from '../errors.js';

export const NAMESPACE_FLAGS: Record<NamespaceType, number> = {
  user: CloneFlag.NEWUSER,
  mount: CloneFlag.NEWNS,
  pid: CloneFlag.NEWPID,
  network: CloneFlag.NEWNET,
  ipc: CloneFlag.NEWIPC,
  uts: CloneFlag.NEWUTS,
  cgroup: CloneFlag.NEWCGROUP,
  time: CloneFlag.NEWTIME,
};

/** The /proc/PID/ns/<name> file of each type. */
export const NAMESPACE_FILES: Record<NamespaceType, string> = {
  user: 'user', mount: 'mnt', pid: 'pid', network: 'net', ipc: 'ipc', uts: 'uts', cgroup: 'cgroup', time: 'time',
};

// The user namespace first (it owns the rest), the mount namespace last (it changes our root).
const JOIN_ORDER: NamespaceType[] = ['user', 'ipc', 'uts', 'network', 'pid', 'cgroup', 'time', 'mount'];

export interface NamespacePlan {
  newTypes: Set<NamespaceType>;
  joined: { type: NamespaceType; fd: number }[];
}

export function resolveNamespaces(namespaces: Namespace[] | undefined): NamespacePlan {
  const newTypes = new Set<NamespaceType>();
  const joined: { type: NamespaceType; fd: number }[] = [];
  const seen = new Set<string>();
  try {
    for (const ns of namespaces ?? []) {
      if (!(ns.type in NAMESPACE_FLAGS)) throw invalidConfig(`unknown namespace type "${ns.type}"`);
      if (seen.has(ns.type)) throw invalidConfig(`namespace "${ns.type}" is listed twice`);
      seen.add(ns.type);
      if (!ns.path) {
        newTypes.add(ns.type);
        continue;
      }
      let fd: number;
      try {
        fd = openSync(ns.path, 'r');
      } catch (e) {
        throw invalidConfig(`${ns.type} namespace path ${ns.path}: ${(e as NodeJS.ErrnoException).code ?? e}`);
      }
      joined.push({ type: ns.type, fd });
      // pivot_root in our own mount namespace would move the root of every process on the host.
      if (ns.type === 'mount' && sameFile(fd, '/proc/self/ns/mnt')) {
        throw invalidConfig(`mount namespace path ${ns.path} is the runtime's own (the host's): a container must not pivot the host's root`);
      }
    }
  } catch (e) {
    closeJoined({ newTypes, joined });
    throw e;
  }
  joined.sort((a, b) => JOIN_ORDER.indexOf(a.type) - JOIN_ORDER.indexOf(b.type));
  return { newTypes, joined };
}

function sameFile(fd: number, path: string): boolean {
  const a = fstatSync(fd);
  const b = statSync(path);
  return a.dev === b.dev && a.ino === b.ino;
}

export function closeJoined(plan: NamespacePlan): void {
  for (const j of plan.joined) {
    try {
      closeSync(j.fd);
    } catch {
      // already closed by an earlier cleanup
    }
  }
}

export function joinOps(plan: NamespacePlan): PlanOp[] {
  return plan.joined.flatMap((j) => [
    [Op.SETNS, j.fd, NAMESPACE_FLAGS[j.type]] as PlanOp,
    [Op.CLOSE, j.fd] as PlanOp,
  ]);
}

/** unshare(2) flags for the new namespaces other than user (created first) and time. */
export function unshareFlags(plan: NamespacePlan): number {
  let flags = 0;
  for (const t of plan.newTypes) if (t !== 'user') flags |= NAMESPACE_FLAGS[t];
  return flags;
}
