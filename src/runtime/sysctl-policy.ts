// Which sysctls a container may set: only those that belong to a namespace the container has of
// its own. Anything else would change the host (runc's rule).
import type { NamespaceType } from '../oci/spec.js';
import { invalidConfig } from './errors.js';

const IPC_SYSCTLS = new Set(['kernel.msgmax', 'kernel.msgmnb', 'kernel.msgmni', 'kernel.sem', 'kernel.shmall', 'kernel.shmmax', 'kernel.shmmni', 'kernel.shm_rmid_forced']);
const UTS_SYSCTLS = new Set(['kernel.hostname', 'kernel.domainname']);

/** The namespace a sysctl lives in, or undefined for a host-wide one. */
export function sysctlNamespace(key: string): NamespaceType | undefined {
  if (IPC_SYSCTLS.has(key) || key.startsWith('fs.mqueue.')) return 'ipc';
  if (UTS_SYSCTLS.has(key)) return 'uts';
  if (key.startsWith('net.')) return 'network';
  return undefined;
}

export function checkSysctls(sysctl: Record<string, string> | undefined, ownNamespaces: Set<NamespaceType>): void {
  for (const key of Object.keys(sysctl ?? {})) {
    const ns = sysctlNamespace(key);
    if (!ns) throw invalidConfig(`sysctl ${key} is not namespaced: setting it would change the host`);
    if (!ownNamespaces.has(ns)) throw invalidConfig(`sysctl ${key} needs a ${ns} namespace of the container's own; it would change the host's`);
  }
}
