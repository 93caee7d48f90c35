// Where the engine keeps each container's files under its root.
import { join } from 'node:path';

export { DEFAULT_ROOT } from '../image/store/paths.js';

export interface ContainerPaths {
  dir: string;
  bundle: string;
  /** the overlay mount point, the bundle's rootfs */
  rootfs: string;
  upper: string;
  work: string;
  log: string;
  exitFile: string;
  attachSocket: string;
  supervisorPidFile: string;
  /** the supervisor's (and its on-exit cleanup's) stderr */
  diagnostics: string;
  hosts: string;
  hostname: string;
  resolvConf: string;
}

export function runtimeRoot(root: string): string {
  return join(root, 'runtime');
}

export function volumesDir(root: string): string {
  return join(root, 'volumes');
}

export function volumeData(root: string, name: string): string {
  return join(volumesDir(root), name, '_data');
}

export function containersDir(root: string): string {
  return join(root, 'containers');
}

export function containerPaths(root: string, id: string): ContainerPaths {
  const dir = join(containersDir(root), id);
  return {
    dir,
    bundle: dir,
    rootfs: join(dir, 'rootfs'),
    upper: join(dir, 'upper'),
    work: join(dir, 'work'),
    log: join(dir, `${id}-json.log`),
    exitFile: join(dir, 'exit.json'),
    attachSocket: join(dir, 'attach.sock'),
    supervisorPidFile: join(dir, 'supervisor.pid'),
    diagnostics: join(dir, 'supervisor.err'),
    hosts: join(dir, 'hosts'),
    hostname: join(dir, 'hostname'),
    resolvConf: join(dir, 'resolv.conf'),
  };
}

/** The cgroup every container of this engine lives under. */
export const CGROUP_PARENT = '/vessel';
