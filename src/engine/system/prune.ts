// `system prune`: stopped containers, unused networks, dangling (or with `all` every unused)
// images, and with `volumes` unused anonymous volumes.
import { prune as pruneImages, type RemoveEvent } from '../../image/remove.js';
import type { Engine } from '../engine.js';
import { imageUsage } from '../image-usage.js';
import { pruneUserNetworks } from '../network/index.js';
import { pruneContainers } from '../prune.js';
import { pruneVolumes } from '../volumes.js';

export interface SystemPruneReport {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: RemoveEvent[];
  spaceReclaimed: number;
}

export async function pruneSystem(engine: Engine, opts: { all?: boolean; volumes?: boolean } = {}): Promise<SystemPruneReport> {
  const containers = await pruneContainers(engine);
  const networks = await pruneUserNetworks(engine.root, engine.images.db);
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
