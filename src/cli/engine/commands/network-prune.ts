import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel network prune [OPTIONS]',
  description: 'Remove all unused networks',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },  args: { max: 0 },
  async run({ io, vessel }) {
    const { NetworksDeleted: removed = [] } = await vessel().networks.prune();
    if (removed.length) io.out.write(`Deleted Networks:\n${removed.map((r) => `${r}\n`).join('')}`);
  },
});
