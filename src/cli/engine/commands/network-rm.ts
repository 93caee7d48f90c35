import { defineCommand } from '../command.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel network rm NETWORK [NETWORK...]',
  description: 'Remove one or more networks',
  flags: {
    force: { type: 'bool', short: 'f', description: 'Do not error if the network does not exist' },
  },  args: { min: 1 },
  run({ args, flags, io, vessel }) {
    return forEachContainer(args, io, async (ref) => {
      try {
        await vessel().networks.remove(ref);
      } catch (e) {
        // docker's -f: a network that does not exist is not an error
        if (flags.force && (e as { status?: string }).status === 'notFound') return;
        throw e;
      }
    });
  },
});
