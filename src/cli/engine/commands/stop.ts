import { stopContainer } from '../../../engine/lifecycle/stop.js';
import { defineCommand } from '../command.js';
import { engineOf, forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel stop [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Stop one or more running containers',
  flags: {
    time: { type: 'int', short: 't', description: 'Seconds to wait before killing the container', valueName: 'int' },
    signal: { type: 'string', short: 's', description: 'Signal to send to the container', valueName: 'string' },
  },
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    return forEachContainer(inv.args, inv.io, async (ref) => void (await stopContainer(engine, ref, inv.flags.time)));
  },
});
