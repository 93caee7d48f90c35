// `rename`: a new unique name for a container, in any state.
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { appendEvent } from '../store/events.js';

export function renameContainer(engine: Engine, ref: string, newName: string): void {
  const rec = engine.containers.resolve(ref);
  const name = newName.replace(/^\//, '');
  if (name === rec.name) throw new EngineError('INVALID_NAME', `Renaming a container with the same name as its current name`, name);
  engine.containers.rename(rec.id, name);
  appendEvent(engine.images.db, 'container', 'rename', rec.id, { name, oldName: `/${rec.name}` });
}
