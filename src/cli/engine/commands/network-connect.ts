import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network connect [OPTIONS] NETWORK CONTAINER',
  description: 'Connect a container to a network',
  flags: {
    alias: { type: 'strings', description: 'Add network-scoped alias for the container', valueName: 'strings' },
    ip: { type: 'string', description: 'IPv4 address (e.g., "172.30.100.104")', valueName: 'string' },
  },  args: { min: 2, max: 2 },
  async run({ args, flags, vessel }) {
    await vessel().networks.connect(args[0]!, args[1]!, { ...(flags.ip ? { ip: flags.ip } : {}), aliases: flags.alias });
  },
});
