import { defineCommand } from '../command.js';
import { relayTerminal, terminalSize, terminalStreams } from './attach-terminal.js';
import { printWarnings } from './container-context.js';
import { createBody, createFlags } from './create-flags.js';
import { applyPullPolicy, parsePullPolicy } from './pull-policy.js';

export default defineCommand({
  usage: 'vessel run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image',
  flags: {
    ...createFlags,
    detach: { type: 'bool', short: 'd', description: 'Run container in background and print container ID' },
  },
  args: { min: 1 },
  interspersed: false,
  failureExitCode: 125,
  async run(inv) {
    const { flags, args, io } = inv;
    const vessel = inv.vessel();
    const body = createBody(flags, args, { detach: flags.detach });
    await applyPullPolicy(vessel, args[0]!, parsePullPolicy(flags.pull ?? 'missing'), io);
    const { Id, Warnings } = await vessel.containers.create(body);
    printWarnings(Warnings ?? [], inv);
    if (flags.detach) {
      try {
        await vessel.containers.start(Id);
      } catch (e) {
        if (flags.rm) await vessel.containers.remove(Id, { force: true, volumes: true }).catch(() => undefined);
        throw e;
      }
      printWarnings(vessel.takeWarnings(), inv);
      io.out.write(`${Id}\n`);
      return 0;
    }
    const session = await vessel.containers.startAttached(Id, terminalStreams(io, flags.interactive), { autoRemove: flags.rm, ...terminalSize(io) });
    printWarnings(vessel.takeWarnings(), inv);
    await relayTerminal(session, io, { withStdin: flags.interactive });
    return (await session.finish()) ?? 0;
  },
});
