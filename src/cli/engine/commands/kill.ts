import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel kill [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Kill one or more running containers',
  flags: { signal: { type: 'string', short: 's', description: 'Signal to send to the container', valueName: 'string', default: 'KILL' } },
  args: { min: 1 },
  run(inv) {
    const containers = inv.vessel().containers;
    const sig = inv.flags.signal ?? 'KILL';
    return forEachContainer(inv.args, inv.io, (ref) => containers.kill(ref, /^\d+$/.test(sig) || sig.startsWith('SIG') ? sig : `SIG${sig}`));
  },
});
