import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel volume rm [OPTIONS] VOLUME [VOLUME...]',
  description: 'Remove one or more volumes',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force the removal of one or more volumes' },
  },
  args: { min: 1 },
  run(inv) {
    const volumes = inv.vessel().volumes;
    return forEachContainer(inv.args, inv.io, (name) => volumes.remove(name, { force: inv.flags.force }));
  },
});
