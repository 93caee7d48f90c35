// Where a container's files can be seen from the host: the mounted overlay of a running container,
// or, for a stopped one, the overlay mounted just for the duration of the operation.
import { mkdirSync, mkdtempSync, readFileSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { layerDiffDir } from '../../image/store/index.js';
import { mountReadOnlyImage, mountSnapshot, unmountSnapshot } from '../../image/snapshot/index.js';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { liveState } from '../lifecycle/status.js';
import { containerPaths } from '../paths.js';

/** The image's layer dirs, top-most first, as overlay wants them. */
export function imageLowerDirs(engine: Engine, imageId: string): string[] {
  return engine.images.images.get(imageId).layers.map((l) => layerDiffDir(engine.images.paths, l.chainId)).reverse();
}

function unescapeMountPath(p: string): string {
  return p.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));
}

export function isMountPoint(path: string): boolean {
  return readFileSync('/proc/self/mountinfo', 'utf8')
    .split('\n')
    .some((line) => line.split(' ')[4] !== undefined && unescapeMountPath(line.split(' ')[4]!) === path);
}

function isRunning(engine: Engine, rec: ContainerRecord): boolean {
  const status = liveState(engine, rec).status;
  return status === 'running' || status === 'paused';
}

/**
 * The container's root file system (its overlay only, without volumes), read-only for a stopped
 * container: the upper dir becomes the top lower layer of an upper-less overlay.
 */
export async function withRootfs<T>(engine: Engine, rec: ContainerRecord, fn: (dir: string) => Promise<T>): Promise<T> {
  const paths = containerPaths(engine.root, rec.id);
  if (isMountPoint(paths.rootfs)) return fn(paths.rootfs);
  // a container created but never started has no upper dir yet
  mkdirSync(paths.upper, { recursive: true });
  const target = mkdtempSync(join(paths.dir, 'view-'));
  try {
    mountReadOnlyImage([paths.upper, ...imageLowerDirs(engine, rec.imageId)], target);
    try {
      return await fn(target);
    } finally {
      unmountSnapshot(target);
    }
  } finally {
    rmdirSync(target);
  }
}

/**
 * The container's file system as its processes see it (volumes included) while it runs, through
 * /proc/PID/root; for a stopped container its writable overlay, mounted only for `fn`.
 */
export async function withContainerView<T>(engine: Engine, rec: ContainerRecord, fn: (dir: string) => Promise<T>): Promise<T> {
  const live = liveState(engine, rec);
  if (isRunning(engine, rec) && live.pid > 0) return fn(`/proc/${live.pid}/root`);
  const paths = containerPaths(engine.root, rec.id);
  if (isMountPoint(paths.rootfs)) return fn(paths.rootfs);
  mountSnapshot({ lowerDirs: imageLowerDirs(engine, rec.imageId), upperDir: paths.upper, workDir: paths.work, target: paths.rootfs });
  try {
    return await fn(paths.rootfs);
  } finally {
    unmountSnapshot(paths.rootfs);
  }
}
