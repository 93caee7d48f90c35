// Mounting image layers: a container's snapshot (overlay with a writable upper dir), a read-only
// view of an image, and unmounting either.
import { mkdirSync } from 'node:fs';
import { MNT_DETACH, MountFlag, sys, type NativeSys } from '../../sys/native.js';
import { activeTracer } from '../../trace/active.js';
import { SnapshotError } from './errors.js';
import { prepareOverlayOptions, type OverlayDirs } from './overlay-options.js';

export type SnapshotSys = Pick<NativeSys, 'mount' | 'umount2'>;

export interface SnapshotMount {
  /** Top-most first, as overlay wants. */
  lowerDirs: string[];
  upperDir: string;
  workDir: string;
  target: string;
}

/** Stacked mounts on one target are peeled one by one; more than this is a bug somewhere. */
const MAX_STACKED = 64;

function mountOverlay(native: SnapshotSys, dirs: OverlayDirs, target: string): void {
  const prepared = prepareOverlayOptions(dirs);
  try {
    const layers = `${dirs.lowerDirs.length} read-only layer(s)${dirs.upperDir ? ' under a writable one' : ''}`;
    activeTracer().span('rootfs', 'mount', `overlay on ${target} type overlay (${layers}) data ${prepared.options}`, () => native.mount('overlay', target, 'overlay', 0, prepared.options));
  } catch (err) {
    throw new SnapshotError('SNAPSHOT_MOUNT', `cannot mount overlay on ${target}: ${(err as Error).message}`, target, { cause: err });
  } finally {
    prepared.release();
  }
}

/** Mounts a container's snapshot: the layers read-only under a writable upper dir. */
export function mountSnapshot(m: SnapshotMount, native: SnapshotSys = sys()): void {
  for (const dir of [m.upperDir, m.workDir, m.target]) mkdirSync(dir, { recursive: true });
  mountOverlay(native, { lowerDirs: m.lowerDirs, upperDir: m.upperDir, workDir: m.workDir }, m.target);
}

/** A read-only view of an image: a read-only bind for one layer, an upper-less overlay for more. */
export function mountReadOnlyImage(lowerDirs: string[], target: string, native: SnapshotSys = sys()): void {
  mkdirSync(target, { recursive: true });
  if (lowerDirs.length !== 1) {
    mountOverlay(native, { lowerDirs }, target);
    return;
  }
  try {
    native.mount(lowerDirs[0]!, target, null, MountFlag.BIND, null);
  } catch (err) {
    throw new SnapshotError('SNAPSHOT_MOUNT', `cannot bind ${lowerDirs[0]} on ${target}: ${(err as Error).message}`, target, { cause: err });
  }
  try {
    native.mount(null, target, null, MountFlag.BIND | MountFlag.REMOUNT | MountFlag.RDONLY, null);
  } catch (err) {
    native.umount2(target, MNT_DETACH);
    throw new SnapshotError('SNAPSHOT_MOUNT', `cannot make ${target} read-only: ${(err as Error).message}`, target, { cause: err });
  }
}

/** Unmounts whatever is mounted on `target`; nothing mounted (or no target) is not an error. */
export function unmountSnapshot(target: string, native: SnapshotSys = sys()): void {
  const tracer = activeTracer();
  for (let i = 0; i < MAX_STACKED; i++) {
    try {
      const unmounted = tracer.span('rootfs', 'umount', (done) => (done === false ? `${target}: nothing (more) mounted` : target), () => unmountOnce(native, target));
      if (!unmounted) return;
      continue;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EBUSY') {
        throw new SnapshotError('SNAPSHOT_UNMOUNT', `cannot unmount ${target}: ${(err as Error).message}`, target, { cause: err });
      }
    }
    // still in use (a process has its cwd there): detach now, the kernel frees it when released
    tracer.span('rootfs', 'umount', `${target} (busy: detached, MNT_DETACH)`, () => native.umount2(target, MNT_DETACH));
  }
  throw new SnapshotError('SNAPSHOT_UNMOUNT', `${target} still has mounts after ${MAX_STACKED} unmounts`, target);
}

/** One umount; false when nothing is mounted there (EINVAL) or the target is gone (ENOENT). */
function unmountOnce(native: SnapshotSys, target: string): boolean {
  try {
    native.umount2(target, 0);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EINVAL' || code === 'ENOENT') return false;
    throw err;
  }
}
