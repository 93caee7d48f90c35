// `builder prune`: the cache index, the images that only held cached layers, RUN --mount=type=cache
// directories, and whatever a killed build left (its containers).
import { rmSync } from 'node:fs';
import { BuildCache } from './cache-index.js';
import { cacheMountsRoot } from './cache.js';
import type { BuildEngine } from './engine-adapter.js';

export interface PruneReport {
  entries: number;
  images: number;
  containers: number;
  reclaimed: number;
}

export async function pruneBuilder(engine: BuildEngine): Promise<PruneReport> {
  const orphans = engine.orphanContainers();
  for (const id of orphans) await engine.remove(id);
  const cache = new BuildCache(engine.root);
  const ids = [...new Set(cache.entries().map((e) => e.image))];
  const entries = cache.clear();
  rmSync(cacheMountsRoot(engine.root), { recursive: true, force: true });
  const { images, reclaimed } = await engine.forgetImages(ids);
  return { entries, images, containers: orphans.length, reclaimed };
}
