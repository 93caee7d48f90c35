// A tree below a directory fd as tar entries, opening every component with O_NOFOLLOW below the
// fd of its parent: a symlink is copied as a symlink and never walked through.
import { constants, createReadStream, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, statfsSync } from 'node:fs';
import type { TarEntry } from '../../image/layer/index.js';
import { deviceNumbers, entryType } from '../../image/layer/file-type.js';
import { below, closeQuietly, withFd } from './in-root.js';


const NOFOLLOW_READ = constants.O_RDONLY | constants.O_NOFOLLOW;

/**
 * statfs(2) f_type of the kernel's own file systems: proc, sysfs, cgroup v1 and v2, devpts,
 * mqueue, securityfs, debugfs, tracefs, bpf, configfs, pstore, fusectl, binfmt_misc and nsfs.
 */
const KERNEL_FS_TYPES = new Set([
  0x9fa0, 0x62656572, 0x27e0eb, 0x63677270, 0x1cd1, 0x19800202, 0x73636673, 0x64626720, 0x74726163, 0xcafe4a11, 0x62656570, 0x6165676c,
  0x65735543, 0x42494e4d, 0x6e736673,
]);

/**
 * A running container's tree (seen through /proc/PID/root) has its /proc, /sys, /dev/pts…
 * mounted; their entries describe whoever reads them (/proc/self), not files of the container.
 * They are copied as empty directories, as docker's copy, which never sees these mounts, does.
 */
function isKernelFs(dirFd: number): boolean {
  return KERNEL_FS_TYPES.has(statfsSync(below(dirFd)).type);
}

/**
 * The entry `base` below `parentFd`, named `name` in the tar (and its contents, named
 * `name/...`); with `name` empty only the contents are listed, without the directory itself.
 */
export async function* readTree(parentFd: number, base: string, name: string): AsyncGenerator<TarEntry> {
  const path = below(parentFd, base);
  const st = lstatSync(path);
  const type = entryType(st);
  if (!type) return;
  const header = { name, type, mode: st.mode & 0o7777, uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
  if (type === 'directory') {
    const dirFd = openSync(path, NOFOLLOW_READ | constants.O_DIRECTORY);
    try {
      if (name !== '') yield { header: { ...header, name: `${name}/` } };
      if (isKernelFs(dirFd)) return;
      for (const child of readdirSync(below(dirFd)).sort()) yield* readTree(dirFd, child, name === '' ? child : `${name}/${child}`);
    } finally {
      closeQuietly(dirFd);
    }
  } else if (type === 'file') {
    const fd = openSync(path, NOFOLLOW_READ);
    const size = withFdIfFails(fd, () => fstatSync(fd).size);
    yield { header: { ...header, size }, body: size === 0 ? Buffer.alloc(0) : createReadStream('', { fd, start: 0, end: size - 1 }) };
    if (size === 0) closeQuietly(fd);
  } else if (type === 'symlink') {
    yield { header: { ...header, linkname: readlinkSync(path) } };
  } else {
    yield { header: { ...header, ...deviceNumbers(st.rdev) } };
  }
}

function withFdIfFails<T>(fd: number, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    withFd(fd, () => undefined);
    throw e;
  }
}
