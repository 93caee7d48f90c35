import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network disconnect [OPTIONS] NETWORK CONTAINER',
  description: 'Disconnect a container from a network',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force the container to disconnect from a network' },
  },  args: { min: 2, max: 2 },
  async run({ args, vessel }) {
    await vessel().networks.disconnect(args[0]!, args[1]!);
  },
});
