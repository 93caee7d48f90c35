import { ContainerStore } from '../../../engine/store/containers.js';
import { connectNetwork } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network connect [OPTIONS] NETWORK CONTAINER',
  description: 'Connect a container to a network',
  flags: {
    alias: { type: 'strings', description: 'Add network-scoped alias for the container', valueName: 'strings' },
    ip: { type: 'string', description: 'IPv4 address (e.g., "172.30.100.104")', valueName: 'string' },
  },
  args: { min: 2, max: 2 },
  async run({ args, flags, store }) {
    const db = store().db;
    const c = new ContainerStore(db).resolve(args[1]!);
    await connectNetwork({ db, network: args[0]!, container: { id: c.id, name: c.name, pid: c.state === 'running' ? c.pid : 0 }, ip: flags.ip, aliases: flags.alias });
  },
});
