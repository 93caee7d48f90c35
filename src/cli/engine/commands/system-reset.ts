import { defineCommand } from '../command.js';
import { confirm } from './confirm.js';

export default defineCommand({
  usage: 'vessel system reset [OPTIONS]',
  description: 'Reset vessel storage back to its initial state',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run(inv) {
    const warning = `WARNING! This will remove:\n  - all containers\n  - all networks, the default one too\n  - all volumes\n  - all images\n  - the state under ${inv.root}\n`;
    if (!inv.flags.force && !(await confirm(inv.io, warning))) return 0;
    const report = await inv.vessel().system.reset();
    for (const e of report.errors) inv.io.err.write(`Error: ${e}\n`);
    return report.errors.length ? 125 : 0;
  },
});
