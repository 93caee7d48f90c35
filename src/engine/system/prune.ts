// `system prune`: stopped containers, unused networks, dangling (or with `all` every unused)
// images, and with `volumes` unused anonymous volumes.
import { prune as pruneImages, type RemoveEvent } from '../../image/remove.js';
import { DEFAULT_NETWORK, listEndpoints, listNetworks, removeNetwork } from '../../network/index.js';
import type { Engine } from '../engine.js';
import { imageUsage } from '../image-usage.js';
import { linkedContainers } from '../network/index.js';
import { pruneContainers } from '../prune.js';
import { pruneVolumes } from '../volumes.js';

export interface SystemPruneReport {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: RemoveEvent[];
  spaceReclaimed: number;
}

function pruneUnusedNetworks(engine: Engine): string[] {
  const db = engine.images.db.sql;
  const removed: string[] = [];
  for (const n of listNetworks(db)) {
    if (n.name === DEFAULT_NETWORK || listEndpoints(db, { networkId: n.id }).length || linkedContainers(db, n.id).length) continue;
    removeNetwork(db, n.id);
    removed.push(n.name);
  }
  return removed;
}

export async function pruneSystem(engine: Engine, opts: { all?: boolean; volumes?: boolean } = {}): Promise<SystemPruneReport> {
  const containers = await pruneContainers(engine);
  const networks = pruneUnusedNetworks(engine);
  const volumes = opts.volumes ? pruneVolumes(engine) : { deleted: [], spaceReclaimed: 0 };
  const images = pruneImages(engine.images, { all: opts.all ?? false, isImageInUse: imageUsage(engine) });
  return {
    containers: containers.deleted,
    networks,
    volumes: volumes.deleted,
    images: images.ImagesDeleted,
    spaceReclaimed: containers.spaceReclaimed + volumes.spaceReclaimed + images.SpaceReclaimed,
  };
}
