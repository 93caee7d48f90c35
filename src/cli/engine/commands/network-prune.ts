import { pruneUserNetworks } from '../../../engine/network/index.js';
import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network prune [OPTIONS]',
  description: 'Remove all unused networks',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run({ io, root, store }) {
    const removed = await pruneUserNetworks(root, store().db);
    if (removed.length) io.out.write(`Deleted Networks:\n${removed.map((r) => `${r}\n`).join('')}`);
  },
});
