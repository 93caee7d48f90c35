// Paths inside a directory treated as `/` (a container's root, or a copy's destination on the
// host): every lookup goes through openat2(RESOLVE_IN_ROOT) or a single no-follow component below
// an fd, so no symlink can lead outside that directory.
import { closeSync, constants, openSync } from 'node:fs';
import { inRootSys, OpenFlag } from '../../sys/inroot.js';
import { CopyError } from './errors.js';

export const O_PATH_DIR = OpenFlag.PATH | constants.O_DIRECTORY;

/** The path of the single component `name` directly below the directory open as `dirFd`. */
export function below(dirFd: number, name?: string): string {
  return name === undefined ? `/proc/self/fd/${dirFd}` : `/proc/self/fd/${dirFd}/${name}`;
}

/** Opens `dir` itself (a normal lookup: it is the caller's choice of root). */
export function openRoot(dir: string): number {
  try {
    return openSync(dir, O_PATH_DIR);
  } catch (e) {
    throw new CopyError('COPY_NOT_FOUND', `cannot open ${dir}: ${(e as Error).message}`, dir, { cause: e });
  }
}

export function openInRoot(rootFd: number, path: string, flags: number): number {
  return inRootSys().openInRoot(rootFd, path === '' ? '/' : path, flags);
}

/** `..` and empty components are refused; `.` is dropped. */
export function components(name: string): string[] {
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) throw new CopyError('COPY_UNSAFE_PATH', `refusing path with "..": ${name}`, name);
  return parts;
}

export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** Runs `fn` with an fd that is closed afterwards whatever happens. */
export function withFd<T>(fd: number, fn: (fd: number) => T): T {
  try {
    return fn(fd);
  } finally {
    closeQuietly(fd);
  }
}

export async function withFdAsync<T>(fd: number, fn: (fd: number) => Promise<T>): Promise<T> {
  try {
    return await fn(fd);
  } finally {
    closeQuietly(fd);
  }
}
