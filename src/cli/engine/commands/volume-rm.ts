import { removeVolume } from '../../../engine/volumes.js';
import { defineCommand } from '../command.js';
import { engineOf, forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel volume rm [OPTIONS] VOLUME [VOLUME...]',
  description: 'Remove one or more volumes',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force the removal of one or more volumes' },
  },
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    return forEachContainer(inv.args, inv.io, (name) => void removeVolume(engine, name, { force: inv.flags.force }));
  },
});
