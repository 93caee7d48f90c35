// `cp` between a container and the host, or a tar stream, with docker's rules for names: an
// existing destination directory receives the source under its own name, anything else is the
// new name; a source ending in `/.` means its contents. Both sides are written through
// writeTree, so the container's symlinks stay inside the container and a tar's stay inside the
// destination.
import { lstatSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { posix } from 'node:path';
import { readTar, writeTar } from '../../image/layer/index.js';
import type { Engine } from '../engine.js';
import { CopyError } from './errors.js';
import { below, closeQuietly, O_PATH_DIR, openInRoot, openRoot, withFd, withFdAsync } from './in-root.js';
import { readTree } from './tree-read.js';
import { writeTree, type WriteTreeOptions } from './tree-write.js';
import { withContainerView } from './view.js';

export type CopySource = { stream: NodeJS.ReadableStream } | { path: string };
export type CopyDestination = { stream: NodeJS.WritableStream } | { path: string };

export interface CopyOptions {
  /** keep the source's uid/gid; otherwise files belong to the user copying (host) or root (container) */
  archive?: boolean;
  /** a source that is a symlink is copied as what it points to */
  followLink?: boolean;
}

/** Symlink hops -L follows before giving up, as the kernel's own limit. */
const MAX_LINK_HOPS = 40;

/** The path a symlink source points to, hop by hop, each hop read inside the root. */
function followSourceLink(rootFd: number, path: string): string {
  let current = path;
  for (let hop = 0; hop < MAX_LINK_HOPS; hop++) {
    const { parent, base } = splitSource(current);
    const target = withFd(openInRoot(rootFd, parent, O_PATH_DIR), (fd) => {
      const link = below(fd, base);
      return lstatSync(link).isSymbolicLink() ? readlinkSync(link) : undefined;
    });
    if (target === undefined) return current;
    current = posix.isAbsolute(target) ? target : posix.join(parent, target);
  }
  throw new CopyError('COPY_NOT_FOUND', `too many levels of symbolic links: ${path}`, path);
}

interface SourcePath {
  parent: string;
  /** a single component below parent ('.' for a root) */
  base: string;
  contentsOnly: boolean;
}

function splitSource(path: string): SourcePath {
  const contentsOnly = /\/\.$/.test(path);
  const clean = posix.normalize(contentsOnly ? path.slice(0, -2) || '/' : path).replace(/(.)\/+$/, '$1');
  const base = posix.basename(clean);
  return { parent: posix.dirname(clean), base: base === '' || clean === '/' ? '.' : base, contentsOnly };
}

/** Where entries go and under which top name, given whether the destination is a directory. */
function placement(dest: string, destIsDir: boolean, src: SourcePath): { dir: string; name: string } {
  if (destIsDir) return { dir: dest, name: src.contentsOnly ? '' : src.base === '.' ? '' : src.base };
  return { dir: posix.dirname(dest), name: posix.basename(dest) };
}

const hostOwner = (): WriteTreeOptions => ({ owner: { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 } });

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The source's parent directory inside the root (the caller closes it), or COPY_NOT_FOUND. */
function openSource(rootFd: number, srcPath: string, opts: CopyOptions, ref: string): { src: SourcePath; parentFd: number } {
  let fd: number | undefined;
  try {
    const src = splitSource(opts.followLink && !/\/\.?$/.test(srcPath) ? followSourceLink(rootFd, srcPath) : srcPath);
    fd = openInRoot(rootFd, src.parent, O_PATH_DIR);
    lstatSync(below(fd, src.base));
    return { src, parentFd: fd };
  } catch (e) {
    if (fd !== undefined) closeQuietly(fd);
    if (e instanceof CopyError) throw e;
    throw new CopyError('COPY_NOT_FOUND', `Could not find the file ${srcPath} in container ${ref}`, srcPath, { cause: e });
  }
}

export async function copyFromContainer(engine: Engine, ref: string, srcPath: string, dest: CopyDestination, opts: CopyOptions = {}): Promise<void> {
  const rec = engine.containers.resolve(ref);
  await withContainerView(engine, rec, (rootDir) =>
    withFdAsync(openRoot(rootDir), async (rootFd) => {
      const { src, parentFd } = openSource(rootFd, srcPath, opts, ref);
      await withFdAsync(parentFd, async () => {
        if ('stream' in dest) {
          const name = src.contentsOnly || src.base === '.' ? '' : src.base;
          await writeTar(readTree(parentFd, src.base, name), dest.stream);
          return;
        }
        if (dest.path.endsWith('/') && !isDir(dest.path) && !lstatSync(below(parentFd, src.base)).isDirectory()) {
          throw new CopyError('COPY_NOT_A_DIRECTORY', `destination directory ${dest.path} does not exist`, dest.path);
        }
        const { dir, name } = placement(dest.path.replace(/(.)\/+$/, '$1'), isDir(dest.path), src);
        await withFdAsync(openRoot(dir), (hostFd) => writeTree(hostFd, '/', readTree(parentFd, src.base, name), opts.archive ? {} : hostOwner()));
      });
    }),
  );
}

export async function copyToContainer(engine: Engine, ref: string, source: CopySource, destPath: string, opts: CopyOptions = {}): Promise<void> {
  const rec = engine.containers.resolve(ref);
  const owner: WriteTreeOptions = opts.archive ? {} : { owner: { uid: 0, gid: 0 } };
  if ('path' in source) {
    try {
      lstatSync(source.path);
    } catch (e) {
      throw new CopyError('COPY_NOT_FOUND', `could not find the file ${source.path}`, source.path, { cause: e });
    }
  }
  await withContainerView(engine, rec, (rootDir) =>
    withFdAsync(openRoot(rootDir), async (rootFd) => {
      if ('stream' in source) {
        await writeTree(rootFd, destPath, readTar(source.stream as AsyncIterable<Buffer>), owner);
        return;
      }
      const src = splitSource(opts.followLink && !source.path.endsWith('/.') ? realpathSync(source.path) : source.path);
      const destIsDir = (() => {
        try {
          closeQuietly(openInRoot(rootFd, destPath, O_PATH_DIR));
          return true;
        } catch {
          return false;
        }
      })();
      const { dir, name } = placement(destPath.replace(/(.)\/+$/, '$1'), destIsDir, src);
      await withFdAsync(openRoot(src.parent), (hostFd) => writeTree(rootFd, dir, readTree(hostFd, src.base, name), owner));
    }),
  );
}
