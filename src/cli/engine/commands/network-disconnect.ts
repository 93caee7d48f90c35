import { disconnectContainer } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel network disconnect [OPTIONS] NETWORK CONTAINER',
  description: 'Disconnect a container from a network',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force the container to disconnect from a network' },
  },
  args: { min: 2, max: 2 },
  async run(inv) {
    await disconnectContainer(engineOf(inv), inv.args[0]!, inv.args[1]!);
  },
});
