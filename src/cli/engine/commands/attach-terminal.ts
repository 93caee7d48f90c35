// Attaching this terminal to a container through its supervisor: raw mode and window size for a
// tty, Ctrl-P Ctrl-Q to detach, signals forwarded to the container when it has no tty.
import type { Readable, Transform, Writable } from 'node:stream';
import { attach, sizeWaitingTerminal } from '../../../engine/supervisor/attach.js';
import type { ContainerRecord } from '../../../engine/config/types.js';
import type { Engine } from '../../../engine/engine.js';
import { killContainer } from '../../../engine/lifecycle/stop.js';
import { backendOf } from '../../../engine/runtime-backend/index.js';
import { containerPaths } from '../../../engine/paths.js';
import type { Io } from '../command.js';
import { stream } from '../../../sys/lazy.js';

const DETACH_KEYS = [0x10, 0x11]; // Ctrl-P Ctrl-Q

/** Passes input through until the detach sequence, then calls `onDetach` (the keys are swallowed). */
function detachWatcher(onDetach: () => void): Transform {
  let matched = 0;
  // node:stream only when a terminal's input is relayed
  const { Transform } = stream();
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      const out: number[] = [];
      for (const b of chunk) {
        if (b === DETACH_KEYS[matched]) {
          matched++;
          if (matched === DETACH_KEYS.length) {
            onDetach();
            return done(null, Buffer.from(out));
          }
          continue;
        }
        out.push(...DETACH_KEYS.slice(0, matched), b);
        matched = 0;
      }
      done(null, Buffer.from(out));
    },
  });
}

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** A `run` attaches before the init is released: size its terminal now, so its first look sees it. */
function sizeBeforeStart(engine: Engine, rec: ContainerRecord, rows: number, cols: number): void {
  const { pid } = engine.containers.get(rec.id);
  if (pid > 0 && backendOf(engine, rec).status(rec.id, pid) === 'created') sizeWaitingTerminal(pid, rows, cols);
}

export interface AttachedSession {
  /** `ended` false: the user detached. */
  done: Promise<{ ended: boolean }>;
}

export async function attachTerminal(engine: Engine, rec: ContainerRecord, io: Io, withStdin: boolean, proxySignals = true): Promise<AttachedSession> {
  const tty = rec.config.Tty;
  // stdin is touched only when it is relayed: making the stream costs milliseconds
  const stdin = (withStdin ? io.in : undefined) as NodeJS.ReadStream;
  const raw = tty && withStdin && stdin.isTTY === true;
  let detach = () => {};
  let input: Readable | undefined;
  if (withStdin) input = tty ? (stdin as unknown as Readable).pipe(detachWatcher(() => detach())) : (stdin as unknown as Readable);
  // getters: our stdout and stderr streams are made only if output arrives
  const session = await attach(containerPaths(engine.root, rec.id).attachSocket, {
    get stdout() {
      return io.out as unknown as Writable;
    },
    get stderr() {
      return io.err as unknown as Writable;
    },
    tty,
    ...(input ? { stdin: input } : {}),
  });
  detach = () => session.detach();
  const resize = () => {
    const out = io.out as NodeJS.WriteStream;
    if (out.isTTY && out.rows && out.columns) session.resize(out.rows, out.columns);
  };
  if (raw) stdin.setRawMode(true);
  if (tty) {
    const out = io.out as NodeJS.WriteStream;
    if (out.isTTY && out.rows && out.columns) sizeBeforeStart(engine, rec, out.rows, out.columns);
    resize();
    process.on('SIGWINCH', resize);
  }
  const forward = (signal: NodeJS.Signals) => {
    // it may have ended meanwhile
    killContainer(engine, rec.id, signal).catch(() => undefined);
  };
  // with a tty, Ctrl-C reaches the container through the terminal itself
  if (!tty && proxySignals) for (const s of FORWARDED) process.on(s, forward);
  const done = session.done.finally(() => {
    if (raw) stdin.setRawMode(false);
    process.off('SIGWINCH', resize);
    for (const s of FORWARDED) process.off(s, forward);
    if (withStdin) stdin.pause();
  });
  return { done };
}
