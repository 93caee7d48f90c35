// Relaying this terminal to an engine session: the session's streams are our stdio; with a tty our
// terminal goes raw and follows our window size; without one, our signals go to the container.
import type { Readable, Writable } from 'node:stream';
import type { ContainerSession, SessionStreams } from '../../../engine/containers/index.js';
import type { Io } from '../command.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2'];

/** Our stdio as a session's streams. Getters: stdout and stderr are made only if output arrives,
 * and stdin only when it is relayed (making a stream costs milliseconds). */
export function terminalStreams(io: Io, withStdin: boolean): SessionStreams {
  return {
    get stdout() {
      return io.out as unknown as Writable;
    },
    get stderr() {
      return io.err as unknown as Writable;
    },
    ...(withStdin ? { stdin: io.in as unknown as Readable } : {}),
  };
}

/** The size of our terminal, for a session to give the container before it starts. */
export function terminalSize(io: Io): { initialSize: { rows: number; cols: number } } | Record<string, never> {
  const out = io.out as NodeJS.WriteStream;
  return out.isTTY && out.rows && out.columns ? { initialSize: { rows: out.rows, cols: out.columns } } : {};
}

/** Puts the terminal in raw mode and relays window size and signals until the session ends. */
export function relayTerminal(session: ContainerSession, io: Io, opts: { withStdin: boolean; proxySignals?: boolean }): Promise<{ ended: boolean }> {
  const out = io.out as NodeJS.WriteStream;
  const stdin = (opts.withStdin ? io.in : undefined) as NodeJS.ReadStream | undefined;
  const raw = session.tty && stdin?.isTTY === true;
  const resize = () => {
    if (out.isTTY && out.rows && out.columns) session.resize(out.rows, out.columns);
  };
  if (raw) stdin!.setRawMode(true);
  if (session.tty) {
    resize();
    process.on('SIGWINCH', resize);
  }
  const forward = (signal: NodeJS.Signals) => session.signal(signal);
  // with a tty, Ctrl-C reaches the container through the terminal itself
  if (!session.tty && opts.proxySignals !== false) for (const s of FORWARDED) process.on(s, forward);
  return session.done.finally(() => {
    if (raw) stdin!.setRawMode(false);
    process.off('SIGWINCH', resize);
    for (const s of FORWARDED) process.off(s, forward);
    stdin?.pause();
  });
}
