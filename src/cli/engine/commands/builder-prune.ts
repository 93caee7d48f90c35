import { BuildEngine, pruneBuilder } from '../../../build/index.js';
import { defineCommand } from '../command.js';
import { humanSize } from '../output/human.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel builder prune [OPTIONS]',
  description: 'Remove build cache',
  flags: {
    all: { type: 'bool', short: 'a', description: 'Remove all unused build cache, not just dangling ones' },
    force: { type: 'bool', short: 'f', description: 'Do not prompt for confirmation' },
  },
  args: { max: 0 },
  async run(inv) {
    const report = await pruneBuilder(new BuildEngine(engineOf(inv)));
    inv.io.out.write(`Deleted build cache objects: ${report.entries}\nTotal reclaimed space: ${humanSize(report.reclaimed)}\n`);
  },
});
