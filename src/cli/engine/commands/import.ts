import { createReadStream } from 'node:fs';
import { defineCommand } from '../command.js';

export default defineCommand({
  usage: 'vessel import [OPTIONS] file|- [REPOSITORY[:TAG]]',
  description: 'Import the contents from a tarball to create a filesystem image',
  flags: {
    change: { type: 'strings', short: 'c', description: 'Apply Dockerfile instruction to the created image', valueName: 'list' },
    message: { type: 'string', short: 'm', description: 'Set commit message for imported image', valueName: 'string' },
    platform: { type: 'string', description: 'Set platform (os/arch[/variant]) of the image', valueName: 'string' },
  },
  args: { min: 1, max: 2 },
  async run({ args, flags, io, vessel }) {
    const file = args[0]!;
    const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
    const image = await vessel().images.import(input, {
      ...(args[1] ? { reference: args[1] } : {}),
      changes: flags.change,
      ...(flags.message ? { message: flags.message } : {}),
      ...(flags.platform ? { platform: flags.platform } : {}),
      source: file,
    });
    io.out.write(`${image.Id}\n`);
  },
});
