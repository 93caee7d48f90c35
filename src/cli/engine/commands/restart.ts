import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel restart [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Restart one or more containers',
  flags: {
    time: { type: 'int', short: 't', description: 'Seconds to wait before killing the container', valueName: 'int' },
  },
  args: { min: 1 },
  run(inv) {
    const containers = inv.vessel().containers;
    return forEachContainer(inv.args, inv.io, (ref) => containers.restart(ref, inv.flags.time !== undefined ? { timeout: inv.flags.time } : {}));
  },
});
