// The build cache's index: a layer step's key maps to the layer it made and the image that holds
// that layer in the content store, one small file per key under <root>/build/cache, written
// atomically so concurrent builds and processes share it safely. No crypto here: `vessel images`
// reads it to hide the cache's images, and must start fast.
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

/** The images the build cache holds layers with (docker's "intermediate images"). */
export function buildCacheImages(root: string): Set<string> {
  return new Set(new BuildCache(root).entries().map((e) => e.image));
}
