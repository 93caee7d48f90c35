import { pruneContainers } from '../../../engine/prune.js';
import { labelFilter } from '../../../engine/volumes.js';
import { defineCommand } from '../command.js';
import { humanSize } from '../output/human.js';
import { confirm } from './confirm.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel container prune [OPTIONS]',
  description: 'Remove all stopped containers',
  flags: {
    filter: { type: 'strings', description: "Provide filter values (e.g. 'label=<key>=<value>')", valueName: 'filter' },
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run(inv) {
    const filter = labelFilter(inv.flags.filter);
    if (!inv.flags.force && !(await confirm(inv.io, 'WARNING! This will remove all stopped containers.'))) return 0;
    const report = await pruneContainers(engineOf(inv), filter);
    if (report.deleted.length) inv.io.out.write(`Deleted Containers:\n${report.deleted.map((id) => `${id}\n`).join('')}\n`);
    inv.io.out.write(`Total reclaimed space: ${humanSize(report.spaceReclaimed)}\n`);
  },
});
