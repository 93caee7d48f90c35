// Tar entries written below a directory inside a root: parents are found with
// openat2(RESOLVE_IN_ROOT) and each entry is created as one no-follow component below its
// parent's fd, so neither `..`, absolute symlinks nor symlinks planted by the tar itself or by the
// container can place anything outside the root.
import {
  chmodSync, constants, fchmodSync, fchownSync, futimesSync, lchownSync, linkSync, lstatSync, mkdirSync, openSync, rmSync, symlinkSync,
  writeSync, type Stats,
} from 'node:fs';
import type { TarHeaderInput } from '../../image/layer/index.js';
import { OpenFlag } from '../../sys/inroot.js';
import { sys } from '../../sys/native.js';
import { CopyError } from './errors.js';
import { below, closeQuietly, components, O_PATH_DIR, openInRoot, withFd, withFdAsync } from './in-root.js';

export interface WritableEntry {
  header: TarHeaderInput;
  body?: Buffer | AsyncIterable<Buffer | Uint8Array>;
}

export interface WriteTreeOptions {
  /** owner of everything written; without it the tar's uid/gid are kept */
  owner?: { uid: number; gid: number };
}

function lstatOrUndefined(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/** Opens (creating as needed) the directory `parts` below `dir`, each step resolved inside the root. */
function openParent(rootFd: number, dir: string, parts: string[]): number {
  let fd = openInRoot(rootFd, dir, O_PATH_DIR);
  let path = dir;
  for (const part of parts) {
    path = `${path}/${part}`;
    let next: number;
    try {
      next = openInRoot(rootFd, path, O_PATH_DIR);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') {
        closeQuietly(fd);
        throw e;
      }
      mkdirSync(below(fd, part), 0o755);
      next = openInRoot(rootFd, path, O_PATH_DIR);
    }
    closeQuietly(fd);
    fd = next;
  }
  return fd;
}

/** Makes room for a new non-directory entry: an existing non-directory is replaced. */
function clearFor(path: string, name: string): void {
  const st = lstatOrUndefined(path);
  if (!st) return;
  if (st.isDirectory()) throw new CopyError('COPY_NOT_A_DIRECTORY', `cannot overwrite directory ${name} with non-directory`, name);
  rmSync(path);
}

async function writeEntry(parentFd: number, base: string, entry: WritableEntry, owner: { uid: number; gid: number }): Promise<void> {
  const h = entry.header;
  const path = below(parentFd, base);
  const mode = (h.mode ?? 0o644) & 0o7777;
  const times = (fd: number) => h.mtime !== undefined && futimesSync(fd, h.mtime, h.mtime);
  switch (h.type) {
    case 'directory': {
      const st = lstatOrUndefined(path);
      if (st && !st.isDirectory()) rmSync(path);
      if (!st?.isDirectory()) mkdirSync(path, mode);
      withFd(openSync(path, constants.O_RDONLY | constants.O_DIRECTORY | constants.O_NOFOLLOW), (fd) => {
        fchownSync(fd, owner.uid, owner.gid);
        fchmodSync(fd, mode);
      });
      return;
    }
    case 'file': {
      clearFor(path, h.name);
      const flags = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;
      await withFdAsync(openSync(path, flags, 0o600), async (fd) => {
        const body = entry.body ?? Buffer.alloc(0);
        for await (const chunk of Buffer.isBuffer(body) ? [body] : body) writeSync(fd, chunk);
        fchownSync(fd, owner.uid, owner.gid);
        fchmodSync(fd, mode);
        times(fd);
      });
      return;
    }
    case 'symlink':
      clearFor(path, h.name);
      symlinkSync(h.linkname ?? '', path);
      lchownSync(path, owner.uid, owner.gid);
      return;
    case 'char':
    case 'block':
    case 'fifo': {
      clearFor(path, h.name);
      if (h.type === 'fifo') sys().mkfifo(path, mode);
      else sys().mknod(path, (h.type === 'char' ? constants.S_IFCHR : constants.S_IFBLK) | mode, h.devMajor ?? 0, h.devMinor ?? 0);
      lchownSync(path, owner.uid, owner.gid);
      // through an O_PATH fd of the node itself: were it swapped for a symlink, chmod would fail, not follow
      withFd(openSync(path, OpenFlag.PATH | constants.O_NOFOLLOW), (fd) => chmodSync(below(fd), mode));
      return;
    }
    default:
      throw new CopyError('COPY_UNSUPPORTED', `cannot copy ${h.type} ${h.name}`, h.name);
  }
}

/** Writes the entries below `dir` (a directory that must exist) inside the root open as `rootFd`. */
export async function writeTree(rootFd: number, dir: string, entries: AsyncIterable<WritableEntry>, opts: WriteTreeOptions = {}): Promise<void> {
  try {
    withFd(openInRoot(rootFd, dir, O_PATH_DIR), () => undefined);
  } catch (e) {
    throw new CopyError('COPY_NOT_A_DIRECTORY', `no such directory: ${dir}`, dir, { cause: e });
  }
  for await (const entry of entries) {
    const parts = components(entry.header.name);
    if (parts.length === 0) continue;
    const base = parts.pop()!;
    const owner = opts.owner ?? { uid: entry.header.uid ?? 0, gid: entry.header.gid ?? 0 };
    await withFdAsync(openParent(rootFd, dir, parts), async (parentFd) => {
      if (entry.header.type === 'hardlink') {
        const target = components(entry.header.linkname ?? '');
        const targetBase = target.pop();
        if (targetBase === undefined) throw new CopyError('COPY_UNSAFE_PATH', `bad hard link target for ${entry.header.name}`, entry.header.name);
        clearFor(below(parentFd, base), entry.header.name);
        withFd(openParent(rootFd, dir, target), (targetParent) => linkSync(below(targetParent, targetBase), below(parentFd, base)));
        return;
      }
      await writeEntry(parentFd, base, entry, owner);
    });
  }
}
