// `exec -t`: receive the pty master the process's setup sends, then relay this terminal to it.
import { closeSync, createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { sys } from '../../../sys/native.js';
import { exitStatus } from '../../../runtime/index.js';
import type { Io } from '../command.js';

/** After the process has ended, what it wrote is still relayed until the pty reports that every
 * slave side closed; a background process that kept the slave open stops the wait this late. */
const DRAIN_MAX_MS = 2000;

/** Settles once the pty's output has ended (EIO when the last slave side closes) or after `ms`. */
function drained(fromPty: ReadStream, ms: number): Promise<void> {
  if (fromPty.destroyed || fromPty.readableEnded) return Promise.resolve();
  const ac = new AbortController();
  return Promise.race([
    new Promise<void>((resolve) => {
      fromPty.once('end', resolve);
      fromPty.once('error', () => resolve());
    }),
    sleep(ms, undefined, { signal: ac.signal }).catch(() => undefined),
  ]).finally(() => ac.abort());
}

export async function relayTerminal(socket: number, peer: number, pid: number, io: Io, withStdin: boolean): Promise<number> {
  closeSync(peer);
  const { fd: master } = sys().recvFd(socket);
  closeSync(socket);
  const stdin = io.in as NodeJS.ReadStream;
  const out = io.out as NodeJS.WriteStream;
  const resize = () => {
    if (out.isTTY && out.rows && out.columns) sys().setWinsize(master, out.rows, out.columns);
  };
  resize();
  const fromPty = createReadStream('', { fd: master, autoClose: false });
  const toPty = createWriteStream('', { fd: master, autoClose: false });
  fromPty.on('data', (d) => out.write(d));
  fromPty.on('error', () => {}); // EIO once the process's side has closed
  toPty.on('error', () => {}); // input typed after the process ended has no reader
  const raw = withStdin && stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);
  if (withStdin) stdin.on('data', (d) => toPty.write(d));
  process.on('SIGWINCH', resize);
  try {
    const code = exitStatus(await sys().waitPid(pid));
    await drained(fromPty, DRAIN_MAX_MS);
    return code;
  } finally {
    process.off('SIGWINCH', resize);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    // destroying an fs stream closes its fd whatever autoClose says: only one of the two may
    fromPty.destroy();
  }
}
