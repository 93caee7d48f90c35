// The file-system side of unpacking: a TarSink that creates each entry below one destination
// directory and never writes outside it.
//
// Safety: every entry's parent is reached through components that are real directories, checked
// with lstat (never following a symlink), whether they were made by this layer or were already in
// the destination. Directories verified or created during this extraction are cached, so a layer
// costs about one lstat per directory, not one per parent per entry. The cache is safe because
// nothing else writes in a layer directory while it is unpacked (the store gives each extraction a
// private directory), and every replacement this code makes drops the affected cache entries. The
// final component is created with O_EXCL/O_NOFOLLOW semantics (open, mkdir, symlink, link, mknod
// all refuse to follow it), and metadata is applied without following links (lchown, lutimes,
// chmod only on objects just created as non-links).
import {
  closeSync,
  constants as fsc,
  fchmodSync,
  fchownSync,
  futimesSync,
  lchownSync,
  linkSync,
  lstatSync,
  lutimesSync,
  mkdirSync,
  chmodSync,
  openSync,
  rmSync,
  symlinkSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { sys, type NativeSys } from '../../sys/native.js';
import { LayerError } from './errors.js';
import { entryComponents, whiteoutOf } from './entry-path.js';
import type { TarSink } from './tar-parser.js';
import type { TarHeader } from './tar-header.js';
import { Ownership } from './ownership.js';

export type ExtractSys = Pick<NativeSys, 'mknod' | 'lsetxattr'>;

/**
 * overlayfs keeps its attributes in trusted.* when root mounts it, and in user.* when it is mounted
 * inside a user namespace (the `userxattr` option): a rootless layer is marked the second way.
 */
const OPAQUE_XATTR = { root: 'trusted.overlay.opaque', rootless: 'user.overlay.opaque' };
/** Overlay's own attributes are set only by whiteout conversion, never taken from a tar (either name space). */
const RESERVED_XATTR_PREFIXES = ['trusted.overlay.', 'user.overlay.'];
const FILE_FLAGS = fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL | fsc.O_NOFOLLOW;
const nodeTypeBits: Record<'char' | 'block' | 'fifo', number> = { char: fsc.S_IFCHR, block: fsc.S_IFBLK, fifo: fsc.S_IFIFO };

function errnoCode(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | null)?.code;
}

export class ExtractTarget implements TarSink {
  /** Bytes of regular-file content written. */
  size = 0;
  /** Extended attributes the file system refused (ENOTSUP/EPERM), as docker tolerates them. */
  readonly warnings: string[] = [];
  /** Relative paths ('' is the destination) known to be real directories. */
  private readonly verified = new Set<string>(['']);
  /**
   * Directory modes and times, applied after all their contents were created: a read-only
   * directory must not stop a user (who has no CAP_DAC_OVERRIDE) from filling it.
   */
  private readonly dirMeta = new Map<string, { mode: number; atime: number; mtime: number }>();
  private file: { fd: number; abs: string; header: TarHeader } | undefined;
  /** Device nodes a rootless extraction skipped: count and first name. */
  private skippedDevices = { count: 0, first: '' };

  constructor(
    private readonly root: string,
    private readonly native: ExtractSys = sys(),
    private readonly ownership: Ownership = new Ownership({ rootless: false }),
  ) {}

  entry(header: TarHeader): void {
    try {
      this.create(header);
    } catch (err) {
      throw wrap(err, header.name, 'unpack');
    }
  }

  data(chunk: Buffer): void {
    const file = this.file;
    if (!file) return;
    try {
      for (let off = 0; off < chunk.length; ) off += writeSync(file.fd, chunk, off, chunk.length - off);
    } catch (err) {
      throw wrap(err, file.header.name, 'write');
    }
    this.size += chunk.length;
  }

  entryEnd(): void {
    const file = this.file;
    if (!file) return;
    this.file = undefined;
    const { fd, abs, header } = file;
    try {
      const mode = this.ownership.apply(header, (uid, gid) => fchownSync(fd, uid, gid));
      // after chown, which clears setuid and setgid
      fchmodSync(fd, mode);
      this.setXattrs(abs, header);
      futimesSync(fd, header.atime ?? header.mtime, header.mtime);
    } catch (err) {
      throw wrap(err, header.name, 'set metadata of');
    } finally {
      closeSync(fd);
    }
  }

  /** Applies directory modes and times, and adds the counted warnings; call once after the last entry. */
  finish(): void {
    // Deepest first: a parent made unsearchable must not stop its children's chmod.
    const depth = (key: string) => (key ? key.split('/').length : 0);
    for (const [key, { mode, atime, mtime }] of [...this.dirMeta].sort((x, y) => depth(y[0]) - depth(x[0]))) {
      try {
        chmodSync(this.abs(key), mode);
        lutimesSync(this.abs(key), atime, mtime);
      } catch (err) {
        throw wrap(err, key || '.', 'set mode and times of');
      }
    }
    this.warnings.push(...this.ownership.warnings());
    if (this.skippedDevices.count) {
      this.warnings.push(`${this.skippedDevices.count} device nodes skipped (first: ${this.skippedDevices.first}): ` +
        'a user cannot create them, and a container gets its devices from the runtime');
    }
  }

  /** Releases what an interrupted extraction holds open. */
  abort(): void {
    if (this.file) closeSync(this.file.fd);
    this.file = undefined;
  }

  private abs(key: string): string {
    return key ? `${this.root}/${key}` : this.root;
  }

  private create(h: TarHeader): void {
    const parts = entryComponents(h.name);
    const base = parts[parts.length - 1];
    if (base === undefined) {
      if (h.type !== 'directory') throw new LayerError('LAYER_BAD_TAR', `tar entry ${JSON.stringify(h.name)} has no name`, h.name);
      this.applyDirMetadata('', h);
      return;
    }
    const whiteout = whiteoutOf(base, h.name);
    if (whiteout.kind === 'aufs-meta') return;
    const parent = this.ensureParent(parts, h.name, true);
    if (whiteout.kind === 'opaque') {
      this.native.lsetxattr(this.abs(parent), this.ownership.rootless ? OPAQUE_XATTR.rootless : OPAQUE_XATTR.root, Buffer.from('y'));
      return;
    }
    if (whiteout.kind === 'whiteout') {
      const key = parent ? `${parent}/${whiteout.hidden}` : whiteout.hidden;
      this.replacing(key, false, () => this.native.mknod(this.abs(key), fsc.S_IFCHR, 0, 0));
      return;
    }
    const key = parent ? `${parent}/${base}` : base;
    const abs = this.abs(key);
    switch (h.type) {
      case 'file': {
        const fd = this.replacing(key, false, () => openSync(abs, FILE_FLAGS, 0o600))!;
        this.file = { fd, abs, header: h };
        return;
      }
      case 'directory':
        this.replacing(key, true, () => mkdirSync(abs, 0o700));
        this.verified.add(key);
        this.applyDirMetadata(key, h);
        return;
      case 'symlink':
        this.replacing(key, false, () => symlinkSync(h.linkname, abs));
        this.ownership.apply(h, (uid, gid) => lchownSync(abs, uid, gid));
        this.setXattrs(abs, h);
        lutimesSync(abs, h.atime ?? h.mtime, h.mtime);
        return;
      case 'hardlink':
        this.createHardLink(key, h);
        return;
      case 'char':
      case 'block':
      case 'fifo':
        // Only root can make device nodes; podman skips them too when it extracts rootless.
        if (h.type !== 'fifo' && this.ownership.rootless) {
          if (this.skippedDevices.count++ === 0) this.skippedDevices.first = key;
          return;
        }
        this.replacing(key, false, () => this.native.mknod(abs, nodeTypeBits[h.type as 'char'] | (h.mode & 0o777), h.devMajor, h.devMinor));
        chmodSync(abs, this.ownership.apply(h, (uid, gid) => lchownSync(abs, uid, gid)));
        this.setXattrs(abs, h);
        lutimesSync(abs, h.atime ?? h.mtime, h.mtime);
        return;
    }
  }

  /**
   * Makes sure every component before the last one is a real directory (creating missing ones as
   * 0755, like docker) and returns the parent's relative path. Missing ones are an error instead
   * when `create` is false (hard link targets).
   */
  private ensureParent(parts: string[], name: string, create: boolean): string {
    const parentKey = parts.length > 1 ? parts.slice(0, -1).join('/') : '';
    if (this.verified.has(parentKey)) return parentKey;
    let key = '';
    for (let i = 0; i < parts.length - 1; i++) {
      key = key ? `${key}/${parts[i]}` : parts[i]!;
      if (this.verified.has(key)) continue;
      const st = lstatSync(this.abs(key), { throwIfNoEntry: false });
      if (!st) {
        if (!create) throw new LayerError('LAYER_LINK_TARGET_MISSING', `hard link target ${JSON.stringify(name)} does not exist`, name);
        mkdirSync(this.abs(key), 0o755);
      } else if (st.isSymbolicLink()) {
        throw new LayerError('LAYER_SYMLINK_IN_PATH', `tar entry ${JSON.stringify(name)} would be written through the symlink ${key}`, name);
      } else if (!st.isDirectory()) {
        throw new LayerError('LAYER_NOT_A_DIRECTORY', `tar entry ${JSON.stringify(name)}: ${key} is not a directory`, name);
      }
      this.verified.add(key);
    }
    return parentKey;
  }

  /**
   * Runs `create`; when something already has the name, a directory meets a directory (kept),
   * anything else is removed first, as tar does when a later entry replaces an earlier one.
   */
  private replacing<T>(key: string, isDir: boolean, create: () => T): T | undefined {
    try {
      return create();
    } catch (err) {
      if (errnoCode(err) !== 'EEXIST') throw err;
    }
    const abs = this.abs(key);
    const st = lstatSync(abs);
    if (st.isDirectory()) {
      if (isDir) return undefined;
      rmSync(abs, { recursive: true, force: true });
      this.forget(key);
    } else {
      unlinkSync(abs);
    }
    return create();
  }

  /** Drops cached knowledge about a removed directory and everything below it. */
  private forget(key: string): void {
    const prefix = `${key}/`;
    for (const k of this.verified) if (k === key || k.startsWith(prefix)) this.verified.delete(k);
    for (const k of this.dirMeta.keys()) if (k === key || k.startsWith(prefix)) this.dirMeta.delete(k);
  }

  private applyDirMetadata(key: string, h: TarHeader): void {
    const abs = this.abs(key);
    const mode = this.ownership.apply(h, (uid, gid) => lchownSync(abs, uid, gid));
    this.setXattrs(abs, h);
    this.dirMeta.set(key, { mode, atime: h.atime ?? h.mtime, mtime: h.mtime });
  }

  private createHardLink(key: string, h: TarHeader): void {
    const targetParts = entryComponents(h.linkname, 'LAYER_LINK_ESCAPE');
    if (targetParts.length === 0) throw new LayerError('LAYER_LINK_ESCAPE', `hard link ${JSON.stringify(h.name)} points at the destination itself`, h.name);
    const targetParent = this.ensureParent(targetParts, h.linkname, false);
    const targetKey = targetParent ? `${targetParent}/${targetParts[targetParts.length - 1]}` : targetParts[0]!;
    if (targetKey === key) return;
    try {
      // link(2) does not follow a symlink named as the target, so the new name gets the link itself
      this.replacing(key, false, () => linkSync(this.abs(targetKey), this.abs(key)));
    } catch (err) {
      if (errnoCode(err) === 'ENOENT') {
        throw new LayerError('LAYER_LINK_TARGET_MISSING', `hard link target ${JSON.stringify(h.linkname)} does not exist`, h.name, { cause: err });
      }
      throw err;
    }
  }

  private setXattrs(abs: string, h: TarHeader): void {
    for (const [name, value] of h.xattrs) {
      if (RESERVED_XATTR_PREFIXES.some((p) => name.startsWith(p))) continue;
      try {
        this.native.lsetxattr(abs, name, value);
      } catch (err) {
        const code = errnoCode(err);
        if (code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'EPERM') throw err;
        this.warnings.push(`${h.name}: xattr ${name} not set (${code})`);
      }
    }
  }
}

function wrap(err: unknown, name: string, doing: string): LayerError {
  if (err instanceof LayerError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new LayerError('LAYER_IO', `cannot ${doing} ${JSON.stringify(name)}: ${message}`, name, { cause: err });
}
