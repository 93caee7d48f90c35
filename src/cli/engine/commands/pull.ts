import { familiarReference, formatReference, parseReference } from '../../../engine/references.js';
import { defineCommand } from '../command.js';
import { progressView } from '../output/progress.js';

export default defineCommand({
  usage: 'vessel pull [OPTIONS] NAME[:TAG|@DIGEST]',
  description: 'Download an image from a registry',
  flags: {
    platform: { type: 'string', description: 'Set platform if server is multi-platform capable (os/arch[/variant])', valueName: 'string' },
    quiet: { type: 'bool', short: 'q', description: 'Suppress verbose output' },
    'tls-verify': { type: 'bool', description: 'Require HTTPS and verify certificates (false also allows plain HTTP)', default: true },
  },
  args: { min: 1, max: 1 },
  async run({ args, flags, isSet, io, vessel }) {
    const input = args[0]!;
    const ref = parseReference(input);
    const view = progressView(io.out, flags.quiet);
    if (!flags.quiet) {
      const bare = parseReference(input, { defaultTag: false });
      if (bare.tag === undefined && bare.digest === undefined) io.out.write('Using default tag: latest\n');
      io.out.write(`${ref.digest ?? ref.tag}: Pulling from ${ref.repository}\n`);
    }
    let downloaded = false;
    const image = await vessel().images.pull(input, {
      ...(flags.platform ? { platform: flags.platform } : {}),
      ...(isSet('tls-verify') ? { tlsVerify: flags['tls-verify'] } : {}),
      onProgress: (e) => {
        if (e.type === 'layer' && e.status === 'Pull complete') downloaded = true;
        view.onEvent(e);
      },
    });
    view.done();
    if (!flags.quiet) {
      const digest = image.RepoDigests.find((d) => d.startsWith(`${ref.registry}/${ref.repository}@`))?.split('@')[1];
      if (digest) io.out.write(`Digest: ${digest}\n`);
      io.out.write(`Status: ${downloaded ? 'Downloaded newer image for' : 'Image is up to date for'} ${familiarReference(ref)}\n`);
    }
    io.out.write(`${formatReference(ref)}\n`);
  },
});
