import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel wait CONTAINER [CONTAINER...]',
  description: 'Block until one or more containers stop, then print their exit codes',
  flags: {},
  args: { min: 1 },
  run(inv) {
    const containers = inv.vessel().containers;
    return forEachContainer(inv.args, inv.io, async (ref) => String((await containers.wait(ref)).StatusCode));
  },
});
