// `rm`: the container's kernel objects (even after a killed CLI or supervisor), its files, its
// row, and with `volumes` its anonymous volumes.
import { sys } from '../../sys/native.js';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { withContainer } from '../locks/container-lock.js';
import { forgetNetwork } from '../network-port.js';
import { containerPaths } from '../paths.js';
import { appendEvent } from '../store/events.js';
import { teardown } from './start.js';
import { liveState } from './status.js';

export interface RemoveOptions {
  force?: boolean;
  volumes?: boolean;
}

export function removeContainer(engine: Engine, ref: string, opts: RemoveOptions = {}): Promise<string> {
  return withContainer(engine, ref, (rec) => removeLocked(engine, rec, opts));
}

/** `rm` for a caller holding the container's lock. */
export async function removeLocked(engine: Engine, rec: ContainerRecord, opts: RemoveOptions = {}): Promise<string> {
  const live = liveState(engine, rec);
  if ((live.status === 'running' || live.status === 'paused' || live.status === 'restarting') && !opts.force) {
    throw new EngineError('BAD_STATE', `cannot remove container "/${rec.name}": container is ${live.status}: stop the container before removing or force remove`, rec.id);
  }
  engine.containers.update(rec.id, { stoppedByUser: true });
  await teardown(engine, rec);
  await forgetNetwork(engine.images.db, rec.id, rec.hostConfig.NetworkMode);
  sys().removeTree(containerPaths(engine.root, rec.id).dir);
  engine.containers.remove(rec.id);
  if (opts.volumes) {
    for (const m of rec.mounts) {
      // only anonymous volumes (64-hex names) go with their container, as in docker
      if (m.Type === 'volume' && m.Name && /^[0-9a-f]{64}$/.test(m.Name) && engine.containers.usingVolume(m.Name).length === 0) {
        try {
          engine.volumes.remove(m.Name);
        } catch {
          // removed by someone else meanwhile
        }
      }
    }
  }
  appendEvent(engine.images.db, 'container', 'destroy', rec.id, { name: rec.name, image: rec.image });
  return rec.id;
}
