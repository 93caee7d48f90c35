import { defineCommand } from '../command.js';
import { printWarnings } from './container-context.js';
import { createBody, createFlags } from './create-flags.js';
import { applyPullPolicy, parsePullPolicy } from './pull-policy.js';

export default defineCommand({
  usage: 'vessel create [OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create a new container',
  flags: createFlags,
  args: { min: 1 },
  interspersed: false,
  failureExitCode: 125,
  async run(inv) {
    const vessel = inv.vessel();
    const body = createBody(inv.flags, inv.args);
    await applyPullPolicy(vessel, inv.args[0]!, parsePullPolicy(inv.flags.pull ?? 'missing'), inv.io);
    const { Id, Warnings } = await vessel.containers.create(body);
    printWarnings(Warnings ?? [], inv);
    inv.io.out.write(`${Id}\n`);
  },
});
