import { ContainerStore } from '../../../engine/store/containers.js';
import { disconnectNetwork } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network disconnect [OPTIONS] NETWORK CONTAINER',
  description: 'Disconnect a container from a network',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Force the container to disconnect from a network' },
  },
  args: { min: 2, max: 2 },
  run({ args, store }) {
    const db = store().db;
    const c = new ContainerStore(db).resolve(args[1]!);
    disconnectNetwork(db, args[0]!, { id: c.id, name: c.name, pid: c.state === 'running' ? c.pid : 0 });
  },
});
