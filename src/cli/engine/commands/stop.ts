import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel stop [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Stop one or more running containers',
  flags: {
    time: { type: 'int', short: 't', description: 'Seconds to wait before killing the container', valueName: 'int' },
    signal: { type: 'string', short: 's', description: 'Signal to send to the container', valueName: 'string' },
  },
  args: { min: 1 },
  run(inv) {
    const containers = inv.vessel().containers;
    return forEachContainer(inv.args, inv.io, (ref) => containers.stop(ref, inv.flags.time !== undefined ? { timeout: inv.flags.time } : {}));
  },
});
