// The overlayfs option string. mount(2) copies its data argument as one page, so an image with
// many layers in deep store paths does not fit; then each directory is named by a one- or
// two-character symlink in a short temporary directory. overlayfs resolves the paths once at
// mount time, so the links are removed right after mounting.
import { mkdtempSync, rmSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SnapshotError } from './errors.js';

export interface OverlayDirs {
  /** Top-most first. */
  lowerDirs: string[];
  upperDir?: string;
  workDir?: string;
}

/** Page size minus room for the terminating NUL and the kernel's own separators. */
export const OPTIONS_LIMIT = 4096 - 64;
/** overlayfs refuses more lower layers than this (OVL_MAX_STACK). */
export const MAX_LOWER_LAYERS = 500;

function escapePath(path: string): string {
  if (path.includes(',')) throw new SnapshotError('SNAPSHOT_BAD_PATH', `overlay cannot take a path containing a comma: ${path}`, path);
  return path.replace(/[\\:]/g, (c) => `\\${c}`);
}

export function overlayOptions(dirs: OverlayDirs): string {
  const parts = [`lowerdir=${dirs.lowerDirs.map(escapePath).join(':')}`];
  if (dirs.upperDir) parts.push(`upperdir=${escapePath(dirs.upperDir)}`);
  if (dirs.workDir) parts.push(`workdir=${escapePath(dirs.workDir)}`);
  return parts.join(',');
}

export interface PreparedOptions {
  options: string;
  /** Removes the short links, if any were made; call after the mount (whether it worked or not). */
  release(): void;
}

function shortLinkBase(): string {
  try {
    return mkdtempSync(existsSync('/run') ? '/run/v' : '/tmp/v');
  } catch (err) {
    // a user cannot write /run: its own temporary directory serves
    if ((err as NodeJS.ErrnoException).code !== 'EACCES') throw err;
    return mkdtempSync(join(tmpdir(), 'v'));
  }
}

/** The option string for `dirs`, shortened with symlinks when the plain one is too long. */
export function prepareOverlayOptions(dirs: OverlayDirs): PreparedOptions {
  if (dirs.lowerDirs.length === 0) throw new SnapshotError('SNAPSHOT_BAD_PATH', 'an overlay needs at least one lower layer', '');
  if (dirs.lowerDirs.length > MAX_LOWER_LAYERS) {
    throw new SnapshotError('SNAPSHOT_TOO_MANY_LAYERS', `overlayfs stacks at most ${MAX_LOWER_LAYERS} layers, got ${dirs.lowerDirs.length}`, dirs.lowerDirs[0]!);
  }
  const plain = overlayOptions(dirs);
  if (plain.length <= OPTIONS_LIMIT) return { options: plain, release: () => {} };
  const base = shortLinkBase();
  const release = () => rmSync(base, { recursive: true, force: true });
  try {
    const link = (target: string, name: string) => {
      symlinkSync(target, `${base}/${name}`);
      return `${base}/${name}`;
    };
    // lower names are lowercase base 36, so the upper and work names (uppercase) cannot collide
    const short: OverlayDirs = { lowerDirs: dirs.lowerDirs.map((dir, i) => link(dir, i.toString(36))) };
    if (dirs.upperDir) short.upperDir = link(dirs.upperDir, 'U');
    if (dirs.workDir) short.workDir = link(dirs.workDir, 'W');
    const options = overlayOptions(short);
    if (options.length > OPTIONS_LIMIT) {
      throw new SnapshotError('SNAPSHOT_TOO_MANY_LAYERS', `${dirs.lowerDirs.length} layers do not fit in overlay's option string`, dirs.lowerDirs[0]!);
    }
    return { options, release };
  } catch (err) {
    release();
    throw err;
  }
}
