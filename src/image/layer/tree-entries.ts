// A directory tree as tar entries, in sorted depth-first order (stable layers for the same tree).
// In overlay-diff mode an upper directory's overlay markers become OCI whiteouts: a 0/0 character
// device is `.wh.NAME`, a directory with trusted.overlay.opaque=y gets a `.wh..wh..opq` entry.
import { createReadStream, lstatSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { sys, type NativeSys } from '../../sys/native.js';
import { AUFS_META_PREFIX, OPAQUE_WHITEOUT, WHITEOUT_PREFIX } from './entry-path.js';
import type { TarHeaderInput } from './tar-header.js';
import type { TarEntry } from './tar-writer.js';
import { deviceNumbers, entryType } from './file-type.js';

export type TreeSys = Pick<NativeSys, 'llistxattr' | 'lgetxattr'>;

export interface TreeOptions {
  /** Convert overlay whiteouts and opaque directories (for an overlay upper dir). */
  overlayDiff: boolean;
  sys?: TreeSys;
}

/** Files up to this size are read in one call; larger ones are streamed. */
const READ_WHOLE_LIMIT = 1024 * 1024;
const OVERLAY_XATTR_PREFIX = 'trusted.overlay.';


function readXattrs(native: TreeSys, abs: string): Map<string, Buffer> {
  const xattrs = new Map<string, Buffer>();
  for (const name of native.llistxattr(abs)) {
    if (name.startsWith(OVERLAY_XATTR_PREFIX)) continue;
    const value = native.lgetxattr(abs, name);
    if (value) xattrs.set(name, value);
  }
  return xattrs;
}

export function* treeEntries(root: string, opts: TreeOptions): Generator<TarEntry> {
  const native = opts.sys ?? sys();
  const firstNameOfInode = new Map<string, string>();

  function* walk(dirAbs: string, prefix: string): Generator<TarEntry> {
    for (const name of readdirSync(dirAbs).sort()) {
      const abs = `${dirAbs}/${name}`;
      const rel = `${prefix}${name}`;
      const st = lstatSync(abs);
      const type = entryType(st);
      if (!type) continue;
      const base = { uid: st.uid, gid: st.gid, mtime: Math.floor(st.mtimeMs / 1000) };
      if (opts.overlayDiff && type === 'char' && st.rdev === 0) {
        yield { header: { ...base, name: `${prefix}${WHITEOUT_PREFIX}${name}`, type: 'file', mode: 0o600, size: 0 } };
        continue;
      }
      if (opts.overlayDiff && name.startsWith(AUFS_META_PREFIX)) continue;
      const header: TarHeaderInput = { ...base, name: rel, type, mode: st.mode & 0o7777, xattrs: readXattrs(native, abs) };
      if (type === 'directory') {
        yield { header };
        if (opts.overlayDiff && native.lgetxattr(abs, `${OVERLAY_XATTR_PREFIX}opaque`)?.toString() === 'y') {
          yield { header: { ...base, name: `${rel}/${OPAQUE_WHITEOUT}`, type: 'file', mode: st.mode & 0o777, size: 0 } };
        }
        yield* walk(abs, `${rel}/`);
      } else if (type === 'file') {
        const inode = `${st.dev}:${st.ino}`;
        const first = st.nlink > 1 ? firstNameOfInode.get(inode) : undefined;
        if (first !== undefined) {
          yield { header: { ...header, type: 'hardlink', linkname: first } };
          continue;
        }
        if (st.nlink > 1) firstNameOfInode.set(inode, rel);
        const body = st.size <= READ_WHOLE_LIMIT ? readFileSync(abs) : createReadStream(abs, { highWaterMark: READ_WHOLE_LIMIT });
        yield { header: { ...header, size: st.size }, body };
      } else if (type === 'symlink') {
        yield { header: { ...header, linkname: readlinkSync(abs) } };
      } else {
        yield { header: { ...header, ...(type === 'fifo' ? {} : deviceNumbers(st.rdev)) } };
      }
    }
  }

  yield* walk(root.replace(/\/+$/, '') || '/', '');
}
