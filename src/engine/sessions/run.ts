// A foreground `run` (or `start -a`): start a created container with a session attached before
// its init is released, so no output is lost. The caller records the exit and cleans up itself;
// the supervisor's cleanup waits on a hand-off pipe and runs only if the caller dies first
// (closing its end without the "done" byte), so no second process competes with it.
import { closeSync, writeSync } from 'node:fs';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { removeContainer } from '../lifecycle/remove.js';
import { startContainer } from '../lifecycle/start.js';
import { pipe } from '../../sys/pipe.js';
import { attachSession, type AttachOptions, type ContainerSession, type SessionStreams } from './attach.js';

export interface RunSession extends ContainerSession {
  /** After `done`: the exit code when the container ended (and, with --rm, once it is gone), or
   * undefined when the session detached. Releases the supervisor's hand-off either way. */
  finish(): Promise<number | undefined>;
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** Starts the container and attaches `streams` to it. `autoRemove`: remove it if the start fails. */
export async function startAttached(engine: Engine, id: string, streams: SessionStreams, opts: AttachOptions & { autoRemove?: boolean } = {}): Promise<RunSession> {
  const [handoffRead, handoffWrite] = pipe();
  let session: ContainerSession | undefined;
  try {
    await startContainer(engine, id, { handoffFd: handoffRead, beforeRelease: async (rec) => {
      session = await attachSession(engine, rec, streams, opts);
      // sized while the init still waits: the first thing it runs sees the client's size
      if (session.tty && opts.initialSize) session.resize(opts.initialSize.rows, opts.initialSize.cols);
    } });
  } catch (e) {
    closeQuietly(handoffWrite);
    if (opts.autoRemove) await removeContainer(engine, id, { force: true, volumes: true }).catch(() => undefined);
    throw e;
  } finally {
    closeQuietly(handoffRead);
  }
  if (!session) {
    // it was running already: nothing was started for this session to follow
    closeQuietly(handoffWrite);
    throw new EngineError('BAD_STATE', `container ${id} is already running`, id);
  }
  const attached: ContainerSession = session;
  return {
    ...attached,
    async finish() {
      const { ended } = await attached.done;
      if (!ended) {
        closeQuietly(handoffWrite);
        return undefined;
      }
      const code = await attached.exitCode();
      // as docker does: with --rm, return once the container is gone (the cleanup that recorded
      // its exit may be the supervisor's, still removing it)
      for (let i = 0; opts.autoRemove && i < 1000 && engine.containers.find(id); i++) await new Promise((r) => setTimeout(r, 10));
      try {
        writeSync(handoffWrite, 'd');
      } catch {
        // the supervisor is gone: the cleanup stopped it
      }
      closeQuietly(handoffWrite);
      return code;
    },
  };
}
