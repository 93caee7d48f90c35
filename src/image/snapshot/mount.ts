// Mounting image layers: a container's snapshot (overlay with a writable upper dir), a read-only
// view of an image, and unmounting either. Rootless (inside the user's user and mount namespaces),
// the kernel's overlayfs is mounted with `userxattr` (its marks are user.overlay.*, as rootless
// extraction writes them); where the kernel refuses that, fuse-overlayfs mounts the same layers.
import { mkdirSync } from 'node:fs';
import { MNT_DETACH, MountFlag, sys, type NativeSys } from '../../sys/native.js';
import { activeTracer } from '../../trace/active.js';
import { childProcess } from '../../sys/lazy.js';
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

/** Rootless mounting: in the user's namespaces; the fuse-overlayfs program to fall back on. */
export interface RootlessMountOptions {
  rootless: boolean;
  /** Default: fuse-overlayfs from PATH. */
  fuseOverlayfs?: string;
}

/** Which file system ended up on the target. */
export type OverlayDriver = 'overlay' | 'fuse-overlayfs';

/** Stacked mounts on one target are peeled one by one; more than this is a bug somewhere. */
const MAX_STACKED = 64;

function mountOverlay(native: SnapshotSys, dirs: OverlayDirs, target: string, opts?: RootlessMountOptions): OverlayDriver {
  const prepared = prepareOverlayOptions(dirs);
  try {
    const layers = `${dirs.lowerDirs.length} read-only layer(s)${dirs.upperDir ? ' under a writable one' : ''}`;
    const mount = (options: string) => activeTracer().span('rootfs', 'mount', `overlay on ${target} type overlay (${layers}) data ${options}`, () => native.mount('overlay', target, 'overlay', 0, options));
    if (!opts?.rootless) {
      mount(prepared.options);
      return 'overlay';
    }
    try {
      mount(`${prepared.options},userxattr`);
      return 'overlay';
    } catch (err) {
      return mountFuseOverlay(prepared.options, target, opts.fuseOverlayfs ?? 'fuse-overlayfs', err as Error);
    }
  } catch (err) {
    if (err instanceof SnapshotError) throw err;
    throw new SnapshotError('SNAPSHOT_MOUNT', `cannot mount overlay on ${target}: ${(err as Error).message}`, target, { cause: err });
  } finally {
    prepared.release();
  }
}

/** fuse-overlayfs mounts and daemonizes; it reads the same whiteouts and user.overlay.opaque marks. */
function mountFuseOverlay(options: string, target: string, program: string, kernelError: Error): OverlayDriver {
  const r = childProcess().spawnSync(program, ['-o', options, target], { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status === 0) return 'fuse-overlayfs';
  const fuse = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT'
    ? `${program} is not installed (Debian's fuse-overlayfs package)`
    : `${program} failed too: ${r.stderr?.trim() || r.error?.message || `exit status ${r.status}`}`;
  throw new SnapshotError(
    'SNAPSHOT_MOUNT',
    `cannot mount the layers on ${target} without root: the kernel's overlayfs in the user namespace refused (${kernelError.message}), and ${fuse}`,
    target,
    { cause: kernelError },
  );
}

/**
 * Mounts a container's snapshot: the layers read-only under a writable upper dir. Rootless, call
 * it inside the user's user and mount namespaces.
 */
export function mountSnapshot(m: SnapshotMount, native: SnapshotSys = sys(), opts?: RootlessMountOptions): OverlayDriver {
  for (const dir of [m.upperDir, m.workDir, m.target]) mkdirSync(dir, { recursive: true });
  return mountOverlay(native, { lowerDirs: m.lowerDirs, upperDir: m.upperDir, workDir: m.workDir }, m.target, opts);
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
