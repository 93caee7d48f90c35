// Where blob and staging files go, and removing them: what opening the store needs, without the
// streams and hashing of blobs.ts (loading those costs every command milliseconds at start-up).
//
// A writer stages a blob or layer under tmp/, renames it into blobs/ or layers/, and records its
// row afterwards: a process killed in between leaves files no row names. Every process that stages
// holds a shared flock on <root>/locks/image-writers.lock for the rest of its life; garbage
// collection removes files no row names only while it holds that lock exclusively (no other
// writer alive) and this process has no write of its own in flight.
import { closeSync, constants, existsSync, mkdirSync, openSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { Flock, sys } from '../../sys/native.js';
import { sleepSync } from '../../sys/sleep.js';
import { blobPath, type StorePaths } from './paths.js';

let staged = 0;
let inFlight = 0;
let writerLock: number | undefined;

/** How long a writer waits for a garbage collection's sweep (a few milliseconds) to end. */
const WRITER_WAIT_MS = 30_000;

function writersLockPath(paths: StorePaths): string {
  return join(paths.root, 'locks', 'image-writers.lock');
}

function openWritersLock(paths: StorePaths): number {
  mkdirSync(join(paths.root, 'locks'), { recursive: true, mode: 0o700 });
  return openSync(writersLockPath(paths), constants.O_RDWR | constants.O_CREAT, 0o600);
}

function takeShared(fd: number, path: string): void {
  const deadline = Date.now() + WRITER_WAIT_MS;
  while (!sys().flock(fd, Flock.SHARED)) {
    if (Date.now() > deadline) throw new Error(`cannot lock ${path}: a garbage collection holds it`);
    sleepSync(5);
  }
}

/** A fresh path under the store's tmp directory: unique per process (pid) and call (counter).
 * Give it back with `unstage` once written or renamed away. */
export function stagingPath(paths: StorePaths, prefix: string): string {
  if (writerLock === undefined) {
    const fd = openWritersLock(paths);
    takeShared(fd, writersLockPath(paths));
    writerLock = fd;
  }
  inFlight++;
  mkdirSync(paths.tmp, { recursive: true });
  return join(paths.tmp, `${prefix}-${process.pid}-${Date.now().toString(36)}-${(staged++).toString(36)}`);
}

/** Removes what is left of a staging path (nothing, once renamed into the store). */
export function unstage(path: string): void {
  inFlight = Math.max(0, inFlight - 1);
  rmSync(path, { recursive: true, force: true });
}

export function removeBlobFile(paths: StorePaths, digest: string): void {
  rmSync(blobPath(paths, digest), { force: true });
}

export interface KnownFiles {
  blob(hex: string): boolean;
  layer(hex: string): boolean;
}

/** Files under tmp/, blobs/ and layers/ that no row names (`known` says which do) and that no
 * write of this process will claim: what a killed writer left, or another process is writing. */
export function unclaimedFiles(paths: StorePaths, known: KnownFiles): string[] {
  const list = (dir: string) => (existsSync(dir) ? readdirSync(dir) : []);
  const ours = `-${process.pid}-`;
  return [
    ...list(paths.tmp).filter((f) => inFlight === 0 || !f.includes(ours)).map((f) => join(paths.tmp, f)),
    ...(inFlight === 0 ? list(paths.blobs).filter((f) => !known.blob(f)).map((f) => join(paths.blobs, f)) : []),
    ...(inFlight === 0 ? list(paths.layers).filter((f) => !known.layer(f)).map((f) => join(paths.layers, f)) : []),
  ];
}

/** Removes the files a killed writer left, if no other writer is alive; returns them. */
export function sweepUnclaimed(paths: StorePaths, known: KnownFiles): string[] {
  const fd = writerLock ?? openWritersLock(paths);
  // converting our own shared lock drops it first (flock(2)): it is taken again below either way
  const exclusive = sys().flock(fd, Flock.EXCLUSIVE);
  try {
    if (!exclusive) return [];
    const files = unclaimedFiles(paths, known);
    for (const f of files) rmSync(f, { recursive: true, force: true });
    return files;
  } finally {
    if (writerLock === undefined) closeSync(fd);
    else takeShared(fd, writersLockPath(paths));
  }
}
