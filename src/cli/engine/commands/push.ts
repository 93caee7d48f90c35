import { parseReference, repositoryName } from '../../../engine/references.js';
import { defineCommand } from '../command.js';
import { progressView } from '../output/progress.js';

export default defineCommand({
  usage: 'vessel push [OPTIONS] NAME[:TAG]',
  description: 'Upload an image to a registry',
  flags: {
    quiet: { type: 'bool', short: 'q', description: 'Suppress verbose output' },
    'tls-verify': { type: 'bool', description: 'Require HTTPS and verify certificates (false also allows plain HTTP)', default: true },
  },
  args: { min: 1, max: 1 },
  async run({ args, flags, isSet, io, vessel }) {
    const ref = parseReference(args[0]!);
    const view = progressView(io.out, flags.quiet);
    if (!flags.quiet) io.out.write(`The push refers to repository [${repositoryName(ref)}]\n`);
    const result = await vessel().images.push(args[0]!, {
      ...(isSet('tls-verify') ? { tlsVerify: flags['tls-verify'] } : {}),
      onProgress: (e) => view.onEvent(e),
    });
    view.done();
    if (flags.quiet) io.out.write(`${result.reference}\n`);
    else io.out.write(`${ref.digest ?? ref.tag}: digest: ${result.digest} size: ${result.size}\n`);
  },
});
