import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel unpause CONTAINER [CONTAINER...]',
  description: 'Unpause all processes within one or more containers',
  flags: {},
  args: { min: 1 },
  run(inv) {
    const containers = inv.vessel().containers;
    return forEachContainer(inv.args, inv.io, (ref) => containers.unpause(ref));
  },
});
