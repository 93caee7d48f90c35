import { waitForExit } from '../../../engine/lifecycle/stop.js';
import { defineCommand } from '../command.js';
import { engineOf, forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel wait CONTAINER [CONTAINER...]',
  description: 'Block until one or more containers stop, then print their exit codes',
  flags: {},
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    return forEachContainer(inv.args, inv.io, async (ref) => String(await waitForExit(engine, engine.containers.resolve(ref).id)));
  },
});
