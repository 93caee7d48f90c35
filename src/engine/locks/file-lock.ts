// An exclusive lock held across processes and within one: flock(2) on a lock file, which the
// kernel releases when its holder exits (kill -9 included), behind an in-process queue per file so
// that one long-lived process (the API server) serialises its own requests in arrival order.
//
// flock is only ever tried (LOCK_NB) and retried with a growing pause: waiting for another process
// never blocks Node's event loop. A holder may unlink the lock file (a removed container's): whoever
// then gets the lock on the unlinked file sees that the path names another file, or none, and
// starts over, so two processes never both hold "the" lock through different files.
import { closeSync, constants, fstatSync, mkdirSync, openSync, statSync, unlinkSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Flock, sys } from '../../sys/native.js';
import { EngineError } from '../errors.js';

/** Pauses between attempts grow from 1 ms to this: short waits stay short, long ones cost little. */
const MAX_PAUSE_MS = 25;

/** The last waiter (or holder) of each lock file in this process. */
const queues = new Map<string, Promise<void>>();

export interface FileLockOptions {
  /** Asked while the lock is still held: true unlinks the lock file before releasing it. */
  removeWhenDone?: () => boolean;
}

/** Runs `fn` holding the exclusive lock on `path` (created if absent). */
export async function withFileLock<T>(path: string, fn: () => Promise<T> | T, opts: FileLockOptions = {}): Promise<T> {
  const previous = queues.get(path);
  let release!: () => void;
  const mine = new Promise<void>((resolve) => (release = resolve));
  const tail = previous ? previous.then(() => mine) : mine;
  queues.set(path, tail);
  try {
    if (previous) await previous;
    const fd = await acquire(path);
    try {
      return await fn();
    } finally {
      try {
        if (opts.removeWhenDone?.()) unlinkSync(path);
      } finally {
        closeSync(fd);
      }
    }
  } finally {
    release();
    if (queues.get(path) === tail) queues.delete(path);
  }
}

async function acquire(path: string): Promise<number> {
  let pause = 1;
  for (;;) {
    const fd = openLockFile(path);
    try {
      while (!sys().flock(fd, Flock.EXCLUSIVE)) {
        await sleep(pause);
        pause = Math.min(pause * 2, MAX_PAUSE_MS);
      }
      if (namesFile(path, fd)) return fd;
    } catch (cause) {
      closeSync(fd);
      throw new EngineError('LOCK_FAILED', `cannot lock ${path}: ${(cause as Error).message}`, path, { cause });
    }
    closeSync(fd);
  }
}

function openLockFile(path: string): number {
  const flags = constants.O_RDWR | constants.O_CREAT;
  try {
    return openSync(path, flags, 0o600);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw lockFileError(path, e);
  }
  try {
    mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
    return openSync(path, flags, 0o600);
  } catch (e) {
    throw lockFileError(path, e);
  }
}

function lockFileError(path: string, cause: unknown): EngineError {
  return new EngineError('LOCK_FAILED', `cannot create lock file ${path}: ${(cause as Error).message}`, path, { cause });
}

/** Whether `path` still names the file `fd` is open on (its holder may have unlinked it). */
function namesFile(path: string, fd: number): boolean {
  try {
    const open = fstatSync(fd);
    const named = statSync(path);
    return open.ino === named.ino && open.dev === named.dev;
  } catch {
    return false;
  }
}
