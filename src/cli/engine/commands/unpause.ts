import { pauseContainer } from '../../../engine/lifecycle/stop.js';
import { defineCommand } from '../command.js';
import { engineOf, forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel unpause CONTAINER [CONTAINER...]',
  description: 'Unpause all processes within one or more containers',
  flags: {},
  args: { min: 1 },
  run(inv) {
    const engine = engineOf(inv);
    return forEachContainer(inv.args, inv.io, async (ref) => void (await pauseContainer(engine, ref, false)));
  },
});
