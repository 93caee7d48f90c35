import { setTimeout as sleep } from 'node:timers/promises';
import { exitCodeAfterSession } from '../../../engine/lifecycle/exit-code.js';
import { startContainer } from '../../../engine/lifecycle/start.js';
import { defineCommand } from '../command.js';
import { attachTerminal, type AttachedSession } from './attach-terminal.js';
import { engineOf, forEachContainer } from './container-context.js';

export default defineCommand({
  usage: 'vessel start [OPTIONS] CONTAINER [CONTAINER...]',
  description: 'Start one or more stopped containers',
  flags: {
    attach: { type: 'bool', short: 'a', description: 'Attach STDOUT/STDERR and forward signals' },
    interactive: { type: 'bool', short: 'i', description: "Attach container's STDIN" },
  },
  args: { min: 1 },
  async run(inv) {
    const engine = engineOf(inv);
    if (!inv.flags.attach && !inv.flags.interactive) return forEachContainer(inv.args, inv.io, async (ref) => void (await startContainer(engine, ref)));
    let session: AttachedSession | undefined;
    const rec = await startContainer(engine, inv.args[0]!, { beforeRelease: async (r) => void (session = await attachTerminal(engine, r, inv.io, inv.flags.interactive)) });
    const { ended } = await session!.done;
    return ended ? exitCodeAfterSession(engine, rec.id, () => sleep(10)) : 0;
  },
});
