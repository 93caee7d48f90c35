// COPY and ADD: the entries a step writes into the step's root file system. Sources come from the
// build context (through .dockerignore, never leaving it), from another stage's or image's root
// (read below an fd, symlinks never followed out of it), from a heredoc, a URL, or a local tar
// that ADD unpacks. Names follow docker's rules: a destination ending in `/` (or any destination
// for several sources) is a directory, a directory source copies its contents.
import { closeSync, createReadStream, lstatSync, openSync, readlinkSync, readSync } from 'node:fs';
import { posix } from 'node:path';
import { parseGroup, parsePasswd, userFiles } from '../runtime/user-lookup.js';
import { O_PATH_DIR, openInRoot, openRoot, withFd, withFdAsync } from '../engine/fs/in-root.js';
import { readTree } from '../engine/fs/tree-read.js';
import { writeTree, type WritableEntry } from '../engine/fs/tree-write.js';
import { decompressor, detectCompression, readTar } from '../image/layer/index.js';
import type { BuildContext } from './context.js';
import { BuildError } from './errors.js';

export interface Owner {
  uid: number;
  gid: number;
}

export interface EntryOptions {
  owner?: Owner;
  mode?: number;
}

/** `--chown=user[:group]`: names through the destination's /etc/passwd and /etc/group; a lone user is also the group. */
export function resolveChown(rootDir: string, spec: string, where: string): Owner {
  const [u = '', g] = spec.split(':');
  // read inside the root (openat2 RESOLVE_IN_ROOT): a symlinked /etc/passwd cannot point at the host's
  const files = () => userFiles(rootDir);
  const lookupUser = (s: string) => (/^\d+$/.test(s) ? Number(s) : parsePasswd(files().passwd).find((e) => e.name === s)?.uid);
  const lookupGroup = (s: string) => (/^\d+$/.test(s) ? Number(s) : parseGroup(files().group).find((e) => e.name === s)?.gid);
  const uid = lookupUser(u);
  if (uid === undefined) throw new BuildError('INVALID_INSTRUCTION', `${where}: unable to convert uid/gid chown string to host mapping: can't find uid for user ${u}`, spec);
  const gid = g === undefined ? uid : lookupGroup(g);
  if (gid === undefined) throw new BuildError('INVALID_INSTRUCTION', `${where}: unable to convert uid/gid chown string to host mapping: can't find gid for group ${g}`, spec);
  return { uid, gid };
}

export function parseChmod(value: string, where: string): number {
  if (!/^[0-7]{3,4}$/.test(value)) throw new BuildError('INVALID_INSTRUCTION', `${where}: invalid chmod parameter: ${value}`, value);
  return parseInt(value, 8);
}

function applyOptions(entry: WritableEntry, opts: EntryOptions, defaultOwner: Owner | undefined): WritableEntry {
  const owner = opts.owner ?? defaultOwner;
  return {
    ...entry,
    header: {
      ...entry.header,
      ...(owner ? { uid: owner.uid, gid: owner.gid } : {}),
      ...(opts.mode !== undefined && entry.header.type !== 'symlink' ? { mode: opts.mode } : {}),
    },
  };
}

/** Whether `path` is a directory inside the root (symlinks resolved inside it). */
export function isDirInRoot(rootDir: string, path: string): boolean {
  try {
    return withFd(openRoot(rootDir), (rootFd) => withFd(openInRoot(rootFd, path, O_PATH_DIR), () => true));
  } catch {
    return false;
  }
}

const rel = (abs: string) => abs.replace(/^\/+/, '');

/** Entries for context sources, named relative to `/`. */
export async function* contextEntries(ctx: BuildContext, sources: string[], dest: string, destIsDir: boolean, opts: EntryOptions, where: string): AsyncGenerator<WritableEntry> {
  for (const src of sources) {
    const real = ctx.resolve(src, where);
    const top = lstatSync(real);
    const base = top.isDirectory() ? dest : destIsDir ? posix.join(dest, posix.basename(src) || '.') : dest;
    for (const f of ctx.walk(src, where)) {
      const sub = f.rel === src ? '' : f.rel.slice(src ? src.length + 1 : 0);
      if (top.isDirectory() && sub === '') continue;
      const name = rel(sub ? posix.join(base, sub) : base);
      const header = { name, mode: f.stat.mode & 0o7777, uid: 0, gid: 0, mtime: Math.floor(f.stat.mtimeMs / 1000) };
      let entry: WritableEntry | undefined;
      if (f.stat.isDirectory()) entry = { header: { ...header, name: `${name}/`, type: 'directory' } };
      else if (f.stat.isSymbolicLink()) entry = { header: { ...header, type: 'symlink', linkname: readlinkSync(f.abs) } };
      else if (f.stat.isFile()) {
        entry = { header: { ...header, type: 'file', size: f.stat.size }, body: f.stat.size ? createReadStream(f.abs) : Buffer.alloc(0) };
      }
      if (entry) yield applyOptions(entry, opts, { uid: 0, gid: 0 });
    }
  }
}

/** Entries for a path inside another root (COPY --from), as its tree is there. */
export async function* rootEntries(srcRoot: string, src: string, dest: string, destIsDir: boolean, opts: EntryOptions, where: string): AsyncGenerator<WritableEntry> {
  const clean = posix.normalize(`/${src}`);
  const baseName = posix.basename(clean) || '.';
  let parentFd: number;
  let isDir: boolean;
  try {
    parentFd = withFd(openRoot(srcRoot), (rootFd) => openInRoot(rootFd, posix.dirname(clean), O_PATH_DIR));
  } catch (cause) {
    throw new BuildError('CONTEXT_NOT_FOUND', `${where}: "${src}" not found`, src, { cause });
  }
  try {
    isDir = lstatSync(`/proc/self/fd/${parentFd}/${baseName}`).isDirectory();
  } catch (cause) {
    closeSync(parentFd);
    throw new BuildError('CONTEXT_NOT_FOUND', `${where}: "${src}" not found`, src, { cause });
  }
  const top = rel(isDir ? dest : destIsDir ? posix.join(dest, baseName) : dest);
  yield* withFdGenerator(parentFd, async function* () {
    for await (const e of readTree(parentFd, baseName, top)) {
      // the destination directory itself keeps what it has
      if (isDir && e.header.name === `${top}/`) continue;
      yield applyOptions(e as WritableEntry, opts, undefined);
    }
  });
}

async function* withFdGenerator<T>(fd: number, gen: () => AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* gen();
  } finally {
    closeSync(fd);
  }
}

/** A file with the given content (a heredoc, a downloaded URL). */
export function fileEntry(name: string, content: Buffer, mode: number, mtime: number, opts: EntryOptions): WritableEntry {
  return applyOptions({ header: { name: rel(name), type: 'file', mode, uid: 0, gid: 0, mtime, size: content.length }, body: content }, opts, { uid: 0, gid: 0 });
}

function head(path: string, n: number): Buffer {
  return withFd(openSync(path, 'r'), (fd) => {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  });
}

/** Whether a local file is a tar archive (plain or compressed) that ADD unpacks. */
export function isArchive(path: string): boolean {
  const h = head(path, 512);
  if (h.length >= 4 && detectCompression(h.subarray(0, 4)) !== 'none') return true;
  return h.length >= 262 && h.subarray(257, 262).toString('latin1') === 'ustar';
}

/** A local archive's entries, placed below `dest`, owners as in the archive (docker keeps them). */
export async function* archiveEntries(path: string, dest: string): AsyncGenerator<WritableEntry> {
  const compression = detectCompression(head(path, 4));
  const raw = createReadStream(path);
  const stream = compression === 'none' ? raw : raw.pipe(decompressor(compression));
  for await (const e of readTar(stream as AsyncIterable<Buffer>)) {
    const name = rel(posix.join(dest, e.header.name));
    const header = { ...e.header, name: e.header.type === 'directory' ? `${name}/` : name };
    if (e.header.type === 'hardlink') header.linkname = rel(posix.join(dest, e.header.linkname ?? ''));
    yield { header, body: e.body as AsyncIterable<Buffer> };
  }
}

/** Writes entries into a root file system. */
export async function writeEntries(rootDir: string, entries: AsyncIterable<WritableEntry>): Promise<void> {
  await withFdAsync(openRoot(rootDir), (rootFd) => writeTree(rootFd, '/', entries));
}
