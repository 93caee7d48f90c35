// The build cache: a step's key is its parent's key plus the instruction (with the build args it
// sees and, for COPY/ADD, a digest of what it reads); a layer step's key maps to the layer it made
// and the image that holds that layer in the content store, one small file per key under
// <root>/build/cache, written atomically so concurrent builds and processes share it safely.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerRef } from './engine-adapter.js';

export interface CacheEntry {
  layer: LayerRef;
  /** the history time of the step, reused so a cached rebuild makes the same image */
  created: string;
  /** the unnamed image that keeps the layer in the store */
  image: string;
}

export function chainKey(parent: string, ...parts: string[]): string {
  const h = createHash('sha256').update(parent);
  for (const p of parts) h.update('\0').update(p);
  return h.digest('hex');
}

export class BuildCache {
  readonly dir: string;
  constructor(root: string) {
    this.dir = join(root, 'build', 'cache');
  }

  get(key: string): CacheEntry | undefined {
    try {
      return JSON.parse(readFileSync(join(this.dir, key), 'utf8')) as CacheEntry;
    } catch {
      return undefined;
    }
  }

  put(key: string, entry: CacheEntry): void {
    mkdirSync(this.dir, { recursive: true });
    const tmp = join(this.dir, `.${key}.${process.pid}`);
    writeFileSync(tmp, JSON.stringify(entry));
    renameSync(tmp, join(this.dir, key));
  }

  entries(): CacheEntry[] {
    let names: string[];
    try {
      names = readdirSync(this.dir);
    } catch {
      return [];
    }
    return names.filter((n) => !n.startsWith('.')).map((n) => this.get(n)).filter((e): e is CacheEntry => e !== undefined);
  }

  clear(): number {
    const n = this.entries().length;
    rmSync(this.dir, { recursive: true, force: true });
    return n;
  }
}

/** Where `RUN --mount=type=cache` directories live between builds. */
export function cacheMountDir(root: string, id: string): string {
  return join(root, 'build', 'cache-mounts', createHash('sha256').update(id).digest('hex').slice(0, 32));
}

export function cacheMountsRoot(root: string): string {
  return join(root, 'build', 'cache-mounts');
}
