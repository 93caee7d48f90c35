// `rename`: a new unique name for a container, in any state. On user networks the new name
// resolves at once and the old one no longer does (the resolver reads the endpoint rows).
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { withContainer } from '../locks/container-lock.js';
import { renamedNetworkSettings, renameOnNetworks } from '../network/rename.js';
import { appendEvent } from '../store/events.js';

export function renameContainer(engine: Engine, ref: string, newName: string): Promise<void> {
  return withContainer(engine, ref, (rec) => {
    const name = newName.replace(/^\//, '');
    if (name === rec.name) throw new EngineError('INVALID_NAME', `Renaming a container with the same name as its current name`, name);
    engine.images.db.transaction(() => {
      engine.containers.rename(rec.id, name);
      renameOnNetworks(engine.images.db, rec.id, name);
      if (rec.networkSettings) engine.containers.update(rec.id, { networkSettings: renamedNetworkSettings(rec.networkSettings, rec.name, name) });
    });
    appendEvent(engine.images.db, 'container', 'rename', rec.id, { name, oldName: `/${rec.name}` });
  });
}
