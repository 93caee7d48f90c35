import { restartContainer } from '../../../engine/lifecycle/stop.js';
import { defineCommand } from '../command.js';
import { engineOf, forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel restart [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Restart one or more containers',
  flags: {
    time: { type: 'int', short: 't', description: 'Seconds to wait before killing the container', valueName: 'int' },
  },
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    return forEachContainer(inv.args, inv.io, async (ref) => void (await restartContainer(engine, ref, inv.flags.time)));
  },
});
