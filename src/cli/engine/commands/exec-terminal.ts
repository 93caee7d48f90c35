// `exec -t`: receive the pty master the process's setup sends, then relay this terminal to it.
import { closeSync, createReadStream, createWriteStream } from 'node:fs';
import { sys } from '../../../sys/native.js';
import { exitStatus } from '../../../runtime/index.js';
import type { Io } from '../command.js';

export async function relayTerminal(socket: number, peer: number, pid: number, io: Io, withStdin: boolean): Promise<number> {
  closeSync(peer);
  const { fd: master } = sys().recvFd(socket);
  closeSync(socket);
  const stdin = io.in as NodeJS.ReadStream;
  const out = io.out as NodeJS.WriteStream;
  if (out.isTTY && out.rows) sys().setWinsize(master, out.rows, out.columns);
  const fromPty = createReadStream('', { fd: master, autoClose: false });
  const toPty = createWriteStream('', { fd: master, autoClose: false });
  fromPty.on('data', (d) => out.write(d));
  fromPty.on('error', () => {}); // EIO once the process's side has closed
  const raw = withStdin && stdin.isTTY === true;
  if (raw) stdin.setRawMode(true);
  if (withStdin) stdin.on('data', (d) => toPty.write(d));
  const resize = () => out.rows && sys().setWinsize(master, out.rows, out.columns);
  process.on('SIGWINCH', resize);
  try {
    return exitStatus(await sys().waitPid(pid));
  } finally {
    process.off('SIGWINCH', resize);
    if (raw) stdin.setRawMode(false);
    stdin.pause();
    fromPty.destroy();
    toPty.destroy();
  }
}
