// A foreground terminal for `run`/`exec` without --console-socket: receive the pty master the
// container sends, and relay it to our own stdio (raw mode on a TTY, window size kept in sync).
import { closeSync } from 'node:fs';
import { tty } from '../../sys/lazy.js';
import { waitForwardingSignals } from '../../runtime/index.js';
import { sys } from '../../sys/native.js';

export interface ConsoleChannel {
  /** Give this fd to the runtime as its console socket. */
  childFd: number;
  /** Call after create/exec: returns a function that ends the relay. */
  relay(): () => void;
}

export function consoleChannel(): ConsoleChannel {
  const [parentFd, childFd] = sys().socketPair();
  return {
    childFd,
    relay() {
      closeSync(childFd);
      const { fd: master } = sys().recvFd(parentFd);
      closeSync(parentFd);
      const stream = new (tty().ReadStream)(master);
      const stdin = process.stdin;
      const resize = () => {
        if (process.stdout.isTTY) sys().setWinsize(master, process.stdout.rows, process.stdout.columns);
      };
      resize();
      if (stdin.isTTY) stdin.setRawMode(true);
      stdin.pipe(stream as unknown as NodeJS.WritableStream);
      stream.on('data', (d: Buffer) => process.stdout.write(d));
      stream.on('error', () => {}); // EIO when the container side closes: the normal end
      process.on('SIGWINCH', resize);
      return () => {
        process.off('SIGWINCH', resize);
        stdin.unpipe(stream as unknown as NodeJS.WritableStream);
        if (stdin.isTTY) stdin.setRawMode(false);
        stdin.pause();
        stream.destroy();
      };
    },
  };
}

/**
 * Runs a foreground process with a terminal of its own: `launch` gets the console fd and returns the
 * pid to wait for; `started` runs once the relay is up (for `run`, releasing the init).
 */
export async function runWithConsole(launch: (consoleFd: number) => number, started: () => void = () => {}): Promise<number> {
  const channel = consoleChannel();
  const pid = launch(channel.childFd);
  const stop = channel.relay();
  try {
    started();
    return await waitForwardingSignals(pid);
  } finally {
    stop();
  }
}
