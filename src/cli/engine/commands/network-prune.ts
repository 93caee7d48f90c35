import { DEFAULT_NETWORK, listEndpoints, listNetworks, removeNetwork } from '../../../network/index.js';
import { linkedContainers } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network prune [OPTIONS]',
  description: 'Remove all unused networks',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  run({ io, store }) {
    const db = store().db.sql;
    const removed: string[] = [];
    for (const n of listNetworks(db)) {
      if (n.name === DEFAULT_NETWORK || listEndpoints(db, { networkId: n.id }).length || linkedContainers(db, n.id).length) continue;
      removeNetwork(db, n.id);
      removed.push(n.name);
    }
    if (removed.length) io.out.write(`Deleted Networks:\n${removed.map((r) => `${r}\n`).join('')}`);
  },
});
