import { defineCommand } from '../command.js';
import { humanSize } from '../output/human.js';
import { confirm } from './confirm.js';

export default defineCommand({
  usage: 'vessel container prune [OPTIONS]',
  description: 'Remove all stopped containers',
  flags: {
    filter: { type: 'strings', description: "Provide filter values (e.g. 'label=<key>=<value>')", valueName: 'filter' },
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run(inv) {
    if (!inv.flags.force && !(await confirm(inv.io, 'WARNING! This will remove all stopped containers.'))) return 0;
    const { ContainersDeleted: deleted = [], SpaceReclaimed = 0 } = await inv.vessel().containers.prune({ filters: inv.flags.filter });
    if (deleted.length) inv.io.out.write(`Deleted Containers:\n${deleted.map((id) => `${id}\n`).join('')}\n`);
    inv.io.out.write(`Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
  },
});
