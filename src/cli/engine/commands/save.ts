import { createWriteStream } from 'node:fs';
import { SAVE_FORMATS, type SaveFormat } from '../../../engine/images/index.js';
import { defineCommand, UsageError } from '../command.js';

export default defineCommand({
  usage: 'vessel save [OPTIONS] IMAGE [IMAGE...]',
  description: 'Save one or more images to a tar archive (streamed to STDOUT by default)',
  flags: {
    output: { type: 'string', short: 'o', description: 'Write to a file (or, for oci-dir, a directory), instead of STDOUT', valueName: 'string' },
    format: { type: 'string', description: `Archive format: ${SAVE_FORMATS.join(', ')}`, valueName: 'string', default: 'docker-archive' },
  },
  args: { min: 1 },
  async run({ args, flags, io, vessel }) {
    const format = flags.format as SaveFormat;
    if (!(SAVE_FORMATS as readonly string[]).includes(format)) throw new UsageError(`invalid --format "${flags.format}": want ${SAVE_FORMATS.join(', ')}`);
    if (format === 'oci-dir') {
      if (!flags.output) throw new UsageError('--format oci-dir needs -o DIRECTORY');
      await vessel().images.save(args, { dir: flags.output }, format);
      return;
    }
    if (!flags.output && io.out.isTTY) throw new UsageError('cowardly refusing to save to a terminal. Use the -o flag or redirect');
    const stream = flags.output ? createWriteStream(flags.output) : io.out;
    await vessel().images.save(args, { stream }, format);
  },
});
