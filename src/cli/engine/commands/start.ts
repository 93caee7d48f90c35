import { defineCommand } from '../command.js';
import { relayTerminal, terminalSize, terminalStreams } from './attach-terminal.js';
import { forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel start [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: {
    attach: { type: 'bool', short: 'a', description: 'Attach STDOUT/STDERR and forward signals' },
    interactive: { type: 'bool', short: 'i', description: "Attach container's STDIN" },
  },
  args: { min: 1 },
  async run(inv) {
    const containers = inv.vessel().containers;
    if (!inv.flags.attach && !inv.flags.interactive) return forEachContainer(inv.args, inv.io, (ref) => containers.start(ref));
    const session = await containers.startAttached(inv.args[0]!, terminalStreams(inv.io, inv.flags.interactive), terminalSize(inv.io));
    await relayTerminal(session, inv.io, { withStdin: inv.flags.interactive });
    return (await session.finish()) ?? 0;
  },
});
