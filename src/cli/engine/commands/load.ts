import { familiar } from '../../../engine/references.js';
import { defineCommand, UsageError } from '../command.js';

export default defineCommand({
  usage: 'vessel load [OPTIONS]',
  description: 'Load an image from a tar archive (docker-archive or oci-archive, optionally compressed), an OCI layout directory, or STDIN',
  flags: {
    input: { type: 'string', short: 'i', description: 'Read from tar archive file or OCI layout directory, instead of STDIN', valueName: 'string' },
    quiet: { type: 'bool', short: 'q', description: 'Suppress the load output' },
  },
  args: { max: 0 },
  async run({ flags, io, vessel }) {
    if (!flags.input && io.in.isTTY) throw new UsageError('requested load from stdin, but stdin is empty');
    const images = await vessel().images.load(flags.input ? { path: flags.input } : { stream: process.stdin, name: 'stdin' });
    if (flags.quiet) return;
    for (const img of images) {
      if (img.RepoTags.length === 0) io.out.write(`Loaded image ID: ${img.Id}\n`);
      for (const n of familiar(img.RepoTags)) io.out.write(`Loaded image: ${n}\n`);
    }
  },
});
