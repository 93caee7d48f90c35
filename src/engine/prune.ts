// `container prune`: every stopped container (exited, created, dead) matching the label filter.
import { treeSize } from './disk-usage.js';
import type { Engine } from './engine.js';
import { removeLocked } from './lifecycle/remove.js';
import { liveState } from './lifecycle/status.js';
import { removeStaleContainerLocks, withContainerLock } from './locks/container-lock.js';
import { containerPaths } from './paths.js';
import type { LabelFilter, PruneReport } from './volumes.js';

const STOPPED = new Set(['exited', 'created', 'dead']);

export async function pruneContainers(engine: Engine, filter?: LabelFilter): Promise<PruneReport> {
  const report: PruneReport = { deleted: [], spaceReclaimed: 0 };
  // one container's lock at a time, in id order (locks/container-lock.ts); each is checked again
  // once locked, as another process may have started or removed it meanwhile
  const candidates = engine.containers.list().filter((c) => STOPPED.has(liveState(engine, c).status)).map((c) => c.id).sort();
  for (const id of candidates) {
    await withContainerLock(engine, id, async () => {
      const c = engine.containers.find(id);
      if (!c || !STOPPED.has(liveState(engine, c).status)) return;
      if (filter && !filter(c.config.Labels)) return;
      const size = treeSize(containerPaths(engine.root, c.id).upper);
      await removeLocked(engine, c, { force: true });
      report.deleted.push(c.id);
      report.spaceReclaimed += size;
    });
  }
  await removeStaleContainerLocks(engine);
  return report;
}
