import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel rm [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Remove one or more containers',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force the removal of a running container (uses SIGKILL)' },
    volumes: { type: 'bool', short: 'v', description: 'Remove anonymous volumes associated with the container' },
  },
  args: { min: 1 },
  run(inv) {
    const containers = inv.vessel().containers;
    return forEachContainer(inv.args, inv.io, async (ref) => void (await containers.remove(ref, { force: inv.flags.force, volumes: inv.flags.volumes })));
  },
});
