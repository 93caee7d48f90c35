import { createInterface } from 'node:readline/promises';
import { defineCommand } from '../command.js';
import { humanSize } from '../output/human.js';

export default defineCommand({
  usage: 'vessel image prune [OPTIONS]',
  description: 'Remove unused images',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Remove all unused images, not just dangling ones' },
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run(inv) {
    const { flags, io } = inv;
    if (!flags.force) {
      const what = flags.all ? 'all images without at least one container associated to them' : 'all dangling images';
      const rl = createInterface({ input: io.in, output: io.out });
      const answer = await rl.question(`WARNING! This will remove ${what}.\nAre you sure you want to continue? [y/N] `).catch(() => '');
      rl.close();
      if (!/^y(es)?$/i.test(answer.trim())) return 0;
    }
    const result = await inv.vessel().images.prune({ all: flags.all });
    if (result.ImagesDeleted?.length) {
      io.out.write('Deleted Images:\n');
      for (const e of result.ImagesDeleted ?? []) io.out.write('Untagged' in e ? `untagged: ${e.Untagged}\n` : `deleted: ${e.Deleted}\n`);
      io.out.write('\n');
    }
    io.out.write(`Total reclaimed space: ${humanSize(result.SpaceReclaimed ?? 0)}\n`);
  },
});
