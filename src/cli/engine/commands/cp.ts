import { copyFromContainer, copyToContainer } from '../../../engine/fs/copy.js';
import { defineCommand, UsageError } from '../command.js';
import { engineOf } from './container-context.js';

/** `CONTAINER:PATH` splits at the first colon; a path with a slash before any colon is local. */
function containerPart(arg: string): { container: string; path: string } | undefined {
  const colon = arg.indexOf(':');
  if (colon <= 0 || arg.slice(0, colon).includes('/')) return undefined;
  return { container: arg.slice(0, colon), path: arg.slice(colon + 1) || '/' };
}

export default defineCommand({
  usage: 'vessel cp [OPTIONS] CONTAINER:SRC_PATH DEST_PATH|-\n\tvessel cp [OPTIONS] SRC_PATH|- CONTAINER:DEST_PATH',
  description: 'Copy files/folders between a container and the local filesystem',
  flags: {
    archive: { type: 'bool', short: 'a', description: 'Archive mode (copy all uid/gid information)' },
    'follow-link': { type: 'bool', short: 'L', description: 'Always follow symbol link in SRC_PATH' },
    quiet: { type: 'bool', short: 'q', description: 'Suppress progress output during copy (vessel shows none)' },
  },
  args: { min: 2, max: 2 },
  async run(inv) {
    const [src, dest] = [inv.args[0]!, inv.args[1]!];
    const from = containerPart(src);
    const to = containerPart(dest);
    if (from && to) throw new UsageError('copying between containers is not supported');
    if (!from && !to) throw new UsageError('must specify at least one container source');
    const engine = engineOf(inv);
    const opts = { archive: inv.flags.archive, followLink: inv.flags['follow-link'] };
    if (from) {
      await copyFromContainer(engine, from.container, from.path, dest === '-' ? { stream: inv.io.out } : { path: dest }, opts);
    } else {
      await copyToContainer(engine, to!.container, src === '-' ? { stream: inv.io.in } : { path: src }, to!.path, opts);
    }
  },
});
