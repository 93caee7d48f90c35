// An exec session: another process in a running container. With a terminal under vessel's own
// runtime, the process's setup sends back its pty master and the session relays it to the
// caller's streams; otherwise (no terminal, or runc/crun relaying the terminal themselves) the
// process runs on the caller's own stdio, and the session waits for it.
import { closeSync, createReadStream, createWriteStream, type ReadStream } from 'node:fs';
import type { Readable, Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Engine } from '../engine.js';
import { execInContainer, execTerminalVia, waitForwardingSignals, type ExecRequest } from '../lifecycle/exec.js';
import { exitStatus } from '../../runtime/index.js';
import { sys } from '../../sys/native.js';

/** After the process has ended, what it wrote is still relayed until the pty reports that every
 * slave side closed; a background process that kept the slave open stops the wait this late. */
const DRAIN_MAX_MS = 2000;

export interface ExecOptions {
  cmd: string[];
  /** KEY=VALUE entries, added to the container's environment */
  env?: string[];
  workdir?: string;
  user?: string;
  privileged?: boolean;
  tty?: boolean;
  /** start it and return: `wait()` gives 0 */
  detach?: boolean;
  /** the client's terminal size: the pty has it before the command runs */
  consoleSize?: { height: number; width: number };
}

export interface ExecStreams {
  stdin?: Readable;
  stdout: Writable;
}

export interface ExecSession {
  readonly pid: number;
  /** a pty relayed by this session (vessel's runtime with `tty`) */
  readonly relaysTerminal: boolean;
  resize(rows: number, cols: number): void;
  /** the process's exit code, once it ended and its output is relayed */
  wait(): Promise<number>;
}

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

export function execSession(engine: Engine, ref: string, opts: ExecOptions, streams: ExecStreams): ExecSession {
  const tty = (opts.tty ?? false) && !opts.detach;
  const req: ExecRequest = {
    container: ref, cmd: opts.cmd, env: opts.env ?? [], privileged: opts.privileged ?? false, tty,
    ...(opts.workdir !== undefined ? { workdir: opts.workdir } : {}), ...(opts.user !== undefined ? { user: opts.user } : {}),
  };
  // runc and crun make an exec's terminal themselves, relaying it over the stdio we give them
  if (!tty || execTerminalVia(engine, ref) === 'relayed-by-runtime') {
    const pid = execInContainer(engine, req);
    return { pid, relaysTerminal: false, resize: () => {}, wait: () => (opts.detach ? Promise.resolve(0) : waitForwardingSignals(pid)) };
  }
  const [socket, peer] = sys().socketPair();
  const pid = execInContainer(engine, { ...req, consoleFd: peer, ...(opts.consoleSize ? { consoleSize: opts.consoleSize } : {}) });
  closeSync(peer);
  const { fd: master } = sys().recvFd(socket);
  closeSync(socket);
  const fromPty = createReadStream('', { fd: master, autoClose: false });
  const toPty = createWriteStream('', { fd: master, autoClose: false });
  fromPty.on('data', (d) => streams.stdout.write(d));
  fromPty.on('error', () => {}); // EIO once the process's side has closed
  toPty.on('error', () => {}); // input typed after the process ended has no reader
  const input = (d: Buffer) => toPty.write(d);
  streams.stdin?.on('data', input);
  return {
    pid,
    relaysTerminal: true,
    resize: (rows, cols) => sys().setWinsize(master, rows, cols),
    async wait() {
      try {
        const code = exitStatus(await sys().waitPid(pid));
        await drained(fromPty, DRAIN_MAX_MS);
        return code;
      } finally {
        streams.stdin?.off('data', input);
        // destroying an fs stream closes its fd whatever autoClose says: only one of the two may
        fromPty.destroy();
      }
    },
  };
}
