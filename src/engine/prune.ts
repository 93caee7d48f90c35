// `container prune`: every stopped container (exited, created, dead) matching the label filter.
import { treeSize } from './disk-usage.js';
import type { Engine } from './engine.js';
import { removeContainer } from './lifecycle/remove.js';
import { liveState } from './lifecycle/status.js';
import { containerPaths } from './paths.js';
import type { LabelFilter, PruneReport } from './volumes.js';

const STOPPED = new Set(['exited', 'created', 'dead']);

export async function pruneContainers(engine: Engine, filter?: LabelFilter): Promise<PruneReport> {
  const report: PruneReport = { deleted: [], spaceReclaimed: 0 };
  for (const c of engine.containers.list()) {
    if (!STOPPED.has(liveState(engine, c).status)) continue;
    if (filter && !filter(c.config.Labels)) continue;
    const size = treeSize(containerPaths(engine.root, c.id).upper);
    await removeContainer(engine, c.id, { force: true });
    report.deleted.push(c.id);
    report.spaceReclaimed += size;
  }
  return report;
}
