import { createContainer } from '../../../engine/lifecycle/create.js';
import { defineCommand } from '../command.js';
import { engineOf, printWarnings } from './container-context.js';
import { createFlags, createRequest } from './create-flags.js';
import { applyPullPolicy, parsePullPolicy } from './pull-policy.js';

export default defineCommand({
  usage: 'vessel create [OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: createFlags,
  args: { min: 1 },
  interspersed: false,
  async run(inv) {
    const req = createRequest(inv.flags, inv.args); // bad flag values are refused before any pull
    const engine = engineOf(inv);
    await applyPullPolicy(engine.images, inv.args[0]!, parsePullPolicy(inv.flags.pull ?? 'missing'), inv.io);
    const rec = await createContainer(engine, req);
    printWarnings(engine, inv);
    inv.io.out.write(`${rec.id}\n`);
  },
});
