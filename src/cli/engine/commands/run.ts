import { setTimeout as sleep } from 'node:timers/promises';
import { createContainer } from '../../../engine/lifecycle/create.js';
import { startContainer } from '../../../engine/lifecycle/start.js';
import { exitCodeAfterSession } from '../../../engine/lifecycle/exit-code.js';
import { removeContainer } from '../../../engine/lifecycle/remove.js';
import { defineCommand } from '../command.js';
import { attachTerminal, type AttachedSession } from './attach-terminal.js';
import { engineOf, printWarnings } from './container-context.js';
import { createFlags, createRequest } from './create-flags.js';

export default defineCommand({
  usage: 'vessel run [OPTIONS] IMAGE [COMMAND] [ARG...]',
  description: 'Create and run a new container from an image',
  flags: {
    ...createFlags,
    detach: { type: 'bool', short: 'd', description: 'Run container in background and print container ID' },
  },
  args: { min: 1 },
  interspersed: false,
  async run(inv) {
    const { flags, args, io } = inv;
    const engine = engineOf(inv);
    const rec = await createContainer(engine, createRequest(flags, args));
    printWarnings(engine, inv);
    let session: AttachedSession | undefined;
    try {
      await startContainer(engine, rec.id, flags.detach ? {} : { beforeRelease: async (r) => void (session = await attachTerminal(engine, r, io, flags.interactive)) });
    } catch (e) {
      if (flags.rm) await removeContainer(engine, rec.id, { force: true, volumes: true }).catch(() => undefined);
      throw e;
    }
    printWarnings(engine, inv);
    if (flags.detach || !session) {
      io.out.write(`${rec.id}\n`);
      return 0;
    }
    const { ended } = await (session as AttachedSession).done;
    if (!ended) return 0;
    const code = await exitCodeAfterSession(engine, rec.id, () => sleep(10));
    // as docker does: with --rm, return once the container is gone (the cleanup that recorded its
    // exit may be the supervisor's, still removing it)
    for (let i = 0; flags.rm && i < 1000 && engine.containers.find(rec.id); i++) await sleep(10);
    return code;
  },
});
