import { createWriteStream } from 'node:fs';
import { finished } from 'node:stream/promises';
import { exportContainer } from '../../../engine/fs/export.js';
import { defineCommand, UsageError } from '../command.js';
import { engineOf } from './container-context.js';

export default defineCommand({
  usage: 'vessel export [OPTIONS] CONTAINER',
  description: "Export a container's filesystem as a tar archive",
  flags: {
    output: { type: 'string', short: 'o', description: 'Write to a file, instead of STDOUT', valueName: 'string' },
  },
  args: { min: 1, max: 1 },
  async run(inv) {
    const engine = engineOf(inv);
    if (!inv.flags.output && inv.io.out.isTTY) throw new UsageError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    if (!inv.flags.output) {
      await exportContainer(engine, inv.args[0]!, inv.io.out);
      return;
    }
    const file = createWriteStream(inv.flags.output);
    await exportContainer(engine, inv.args[0]!, file);
    await finished(file);
  },
});
