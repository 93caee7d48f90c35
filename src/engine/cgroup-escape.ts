// The runtime puts the plan's first process (our supervisor) into the container's cgroup, so the
// supervisor and its --on-exit cleanup would count against the container's limits and be killed
// with it. This moves a process up to the engine's parent cgroup in every hierarchy.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CGROUP_PARENT } from './paths.js';

function hierarchyDir(controllers: string): string | undefined {
  if (controllers === '') return existsSync('/sys/fs/cgroup/unified/cgroup.procs') ? '/sys/fs/cgroup/unified' : '/sys/fs/cgroup';
  const name = controllers.startsWith('name=') ? controllers.slice(5) : controllers;
  const dir = join('/sys/fs/cgroup', name);
  return existsSync(dir) ? dir : undefined;
}

/** Moves `pid` from a container cgroup (/vessel/<id>) to /vessel; best effort, per hierarchy. */
export function leaveContainerCgroup(pid: number | 'self'): void {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/cgroup`, 'utf8');
  } catch {
    return;
  }
  for (const line of text.split('\n')) {
    const [, controllers, path] = line.split(':');
    if (path === undefined || !path.startsWith(`${CGROUP_PARENT}/`)) continue;
    const dir = hierarchyDir(controllers!);
    if (!dir) continue;
    try {
      writeFileSync(join(dir, CGROUP_PARENT, 'cgroup.procs'), String(pid === 'self' ? process.pid : pid));
    } catch {
      // a hierarchy that refuses (v2 with controllers enabled below /vessel): nothing better to do
    }
  }
}
