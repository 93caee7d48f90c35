import { connectContainer } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel network connect [OPTIONS] NETWORK CONTAINER',
  description: 'Connect a container to a network',
  flags: {
    alias: { type: 'strings', description: 'Add network-scoped alias for the container', valueName: 'strings' },
    ip: { type: 'string', description: 'IPv4 address (e.g., "172.30.100.104")', valueName: 'string' },
  },
  args: { min: 2, max: 2 },
  async run(inv) {
    const { args, flags } = inv;
    await connectContainer(engineOf(inv), args[0]!, args[1]!, { ip: flags.ip, aliases: flags.alias });
  },
});
