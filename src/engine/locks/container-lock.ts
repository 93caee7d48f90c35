// The engine's locks, and the order they are taken in.
//
// Every state change of a container (create, start, stop, restart, kill, pause, unpause, rm,
// rename, exec, the supervisor's cleanup at exit, a restart-policy restart) holds that container's
// lock, <root>/locks/<id>.lock, and re-reads the container's row once it holds it: what the caller
// saw before may have changed meanwhile. Public lifecycle functions take the lock; the *Locked
// functions they call assume it (podman's pattern), so nothing takes a lock it already holds.
//
// Order, to keep every path deadlock-free:
//   1. container locks, one at a time (an operation over many containers, such as prune or
//      reset, takes and releases each in turn, in id order);
//   2. then the networks lock (<root>/locks/networks.lock): network create/rm/prune, and
//      creating or removing a network's bridge. Nobody holding it takes a container lock.
// The supervisor's cleanup (`vessel container cleanup ID`, another process) takes its container's
// lock like any caller. A holder of that lock never waits for the cleanup to run: stop, restart and
// rm -f wait for the container's process to end, then record the exit and clean up themselves; the
// supervisor's cleanup then finds the exit recorded and does nothing.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { withFileLock } from './file-lock.js';

export function locksDir(root: string): string {
  return join(root, 'locks');
}

function containerLockPath(root: string, id: string): string {
  return join(locksDir(root), `${id}.lock`);
}

/** Runs `fn` holding the lock of container `id` (which may not exist yet: create takes it first).
 * A container that no longer exists once `fn` is done leaves no lock file behind. */
export function withContainerLock<T>(engine: Engine, id: string, fn: () => Promise<T> | T): Promise<T> {
  return withFileLock(containerLockPath(engine.root, id), fn, { removeWhenDone: () => !engine.containers.find(id) });
}

/** Lock files of containers that do not exist: a create killed before its row was written, or an
 * rm killed after its row went. Taking such a lock removes its file (see withContainerLock). */
export async function removeStaleContainerLocks(engine: Engine): Promise<void> {
  const dir = locksDir(engine.root);
  if (!existsSync(dir)) return;
  for (const file of readdirSync(dir).sort()) {
    const id = /^([0-9a-f]{64})\.lock$/.exec(file)?.[1];
    if (id && !engine.containers.find(id)) await withContainerLock(engine, id, () => undefined);
  }
}

/** Resolves `ref`, takes the container's lock and gives `fn` its row as it is now. */
export async function withContainer<T>(engine: Engine, ref: string, fn: (rec: ContainerRecord) => Promise<T> | T): Promise<T> {
  const { id } = engine.containers.resolve(ref);
  return withContainerLock(engine, id, () => {
    const rec = engine.containers.find(id);
    // removed (or renamed away and removed) while we waited for the lock
    if (!rec) throw new EngineError('NO_SUCH_CONTAINER', `No such container: ${ref}`, ref);
    return fn(rec);
  });
}

/** Runs `fn` holding the networks lock (taken after any container lock, never before one). */
export function withNetworksLock<T>(root: string, fn: () => Promise<T> | T): Promise<T> {
  return withFileLock(join(locksDir(root), 'networks.lock'), fn);
}
