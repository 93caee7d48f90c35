// `create`: record a container (config merged with its image's, mounts resolved, volumes created).
// No kernel object exists until it starts. The new container's lock is held from before its row
// exists until its directory does, so no other process acts on a half-made container.
import { mkdirSync } from 'node:fs';
import type { ImageConfig } from '../../image/manifest.js';
import { resolveMountPoints } from '../bundle/mounts.js';
import { buildConfigs, type CreateRequest } from '../config/request.js';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { checkEndpointPreset, forgetNetwork, presetEndpoint } from '../network-port.js';
import { containerPaths } from '../paths.js';
import { withContainerLock, withNetworksLock } from '../locks/container-lock.js';
import { newContainerId } from '../names.js';
import { appendEvent } from '../store/events.js';

export async function createContainer(engine: Engine, req: CreateRequest): Promise<ContainerRecord> {
  const image = engine.images.images.resolve(req.image);
  const imageConfig = JSON.parse(image.config.toString('utf8')) as ImageConfig;
  const { config, hostConfig } = buildConfigs(req, imageConfig.config ?? {});
  const mounts = resolveMountPoints(hostConfig, config.Volumes, engine.volumes);
  const preset = req.ip || req.networkAliases?.length ? { ...(req.ip ? { ip: req.ip } : {}), aliases: req.networkAliases ?? [] } : undefined;
  if (preset) await checkEndpointPreset(engine.images.db, hostConfig.NetworkMode, preset);
  const id = newContainerId();
  return withContainerLock(engine, id, async () => {
    const record = engine.containers.insert({ id, name: req.name, image: req.image, imageId: image.id, config, hostConfig, mounts });
    try {
      if (preset) await withNetworksLock(engine.root, () => presetEndpoint(engine.images.db, record.id, hostConfig.NetworkMode, preset));
      mkdirSync(containerPaths(engine.root, record.id).dir, { recursive: true, mode: 0o700 });
    } catch (e) {
      // a failed create leaves no container, and its name free
      await forgetNetwork(engine.images.db, id, hostConfig.NetworkMode).catch(() => undefined);
      engine.containers.remove(id);
      throw e;
    }
    appendEvent(engine.images.db, 'container', 'create', record.id, { name: record.name, image: record.image });
    return record;
  });
}
