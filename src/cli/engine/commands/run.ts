import { closeSync, writeSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { createContainer } from '../../../engine/lifecycle/create.js';
import { startContainer } from '../../../engine/lifecycle/start.js';
import { exitCodeAfterSession } from '../../../engine/lifecycle/exit-code.js';
import { removeContainer } from '../../../engine/lifecycle/remove.js';
import { pipe } from '../../../sys/pipe.js';
import { defineCommand } from '../command.js';
import { attachTerminal, type AttachedSession } from './attach-terminal.js';
import { engineOf, printWarnings } from './container-context.js';
import { createFlags, createRequest } from './create-flags.js';
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
  async run(inv) {
    const { flags, args, io } = inv;
    const req = createRequest(flags, args); // bad flag values are refused before any pull
    const engine = engineOf(inv);
    await applyPullPolicy(engine.images, args[0]!, parsePullPolicy(flags.pull ?? 'missing'), io);
    const rec = await createContainer(engine, req);
    printWarnings(engine, inv);
    let session: AttachedSession | undefined;
    // In the foreground we record the exit and clean up ourselves; the supervisor's cleanup waits on
    // this pipe and runs only if we die first (closing our end without the "done" byte).
    const handoff = flags.detach ? undefined : pipe();
    try {
      await startContainer(engine, rec.id, flags.detach ? {} : { handoffFd: handoff![0], beforeRelease: async (r) => void (session = await attachTerminal(engine, r, io, flags.interactive)) });
    } catch (e) {
      if (handoff) closeAll([handoff[1]]);
      if (flags.rm) await removeContainer(engine, rec.id, { force: true, volumes: true }).catch(() => undefined);
      throw e;
    } finally {
      if (handoff) closeAll([handoff[0]]);
    }
    printWarnings(engine, inv);
    if (flags.detach || !session) {
      if (handoff) closeAll([handoff[1]]);
      io.out.write(`${rec.id}\n`);
      return 0;
    }
    const { ended } = await (session as AttachedSession).done;
    if (!ended) {
      closeAll([handoff![1]]);
      return 0;
    }
    const code = await exitCodeAfterSession(engine, rec.id, () => sleep(10));
    // as docker does: with --rm, return once the container is gone (the cleanup that recorded its
    // exit may be the supervisor's, still removing it)
    for (let i = 0; flags.rm && i < 1000 && engine.containers.find(rec.id); i++) await sleep(10);
    handoffDone(handoff![1]);
    return code;
  },
});

function closeAll(fds: number[]): void {
  for (const fd of fds) {
    try {
      closeSync(fd);
    } catch {
      // already closed
    }
  }
}

/** Tells the supervisor (if our cleanup left it alive) that there is nothing left for it to do. */
function handoffDone(fd: number): void {
  try {
    writeSync(fd, 'd');
  } catch {
    // the supervisor is gone: the cleanup stopped it
  }
  closeAll([fd]);
}
