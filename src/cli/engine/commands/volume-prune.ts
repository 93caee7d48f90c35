import { defineCommand } from '../command.js';
import { humanSize } from '../output/human.js';
import { confirm } from './confirm.js';

export default defineCommand({
  usage: 'vessel volume prune [OPTIONS]',
  description: 'Remove unused local volumes',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Remove all unused volumes, not just anonymous ones' },
    filter: { type: 'strings', description: "Provide filter values (e.g. 'label=<label>')", valueName: 'filter' },
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run(inv) {
    if (!inv.flags.force && !(await confirm(inv.io, `WARNING! This will remove ${inv.flags.all ? 'all' : 'anonymous'} local volumes not used by at least one container.`))) return 0;
    const { VolumesDeleted: deleted = [], SpaceReclaimed = 0 } = inv.vessel().volumes.prune({ all: inv.flags.all, filters: inv.flags.filter });
    if (deleted.length) inv.io.out.write(`Deleted Volumes:\n${deleted.map((n) => `${n}\n`).join('')}\n`);
    inv.io.out.write(`Total reclaimed space: ${humanSize(SpaceReclaimed)}\n`);
  },
});
