// Where blob and staging files go, and removing them: what opening the store needs, without the
// streams and hashing of blobs.ts (loading those costs every command milliseconds at start-up).
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { blobPath, type StorePaths } from './paths.js';

let staged = 0;

/** A fresh path under the store's tmp directory: unique per process (pid) and call (counter). */
export function stagingPath(paths: StorePaths, prefix: string): string {
  mkdirSync(paths.tmp, { recursive: true });
  return join(paths.tmp, `${prefix}-${process.pid}-${Date.now().toString(36)}-${(staged++).toString(36)}`);
}

export function removeBlobFile(paths: StorePaths, digest: string): void {
  rmSync(blobPath(paths, digest), { force: true });
}
