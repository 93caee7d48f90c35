// Attach client: the container's live output to the given streams, and stdin, terminal size and
// the end of stdin to the supervisor. The supervisor ends the stream once the container has ended
// and its exit file is written.
import { closeSync, openSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { basename, dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { SupervisorError } from './errors.js';
import { ClientFrame, encodeFrame, encodeResize, FrameDecoder } from './protocol.js';

export interface AttachStreams {
  stdin?: Readable;
  stdout: Writable;
  stderr: Writable;
  /** The container has a terminal: output arrives raw (all of it on stdout). */
  tty?: boolean;
}

export interface AttachSession {
  /** Sets the container's terminal size (TIOCSWINSZ on its pty). */
  resize(rows: number, cols: number): void;
  /** Tells the supervisor stdin has ended: it closes the container's stdin. */
  closeStdin(): void;
  /** Leaves the container running and ends this session. */
  detach(): void;
  /** Settles when the session ends: `ended` when the supervisor closed it (the container ended). */
  readonly done: Promise<{ ended: boolean }>;
}

const SUN_PATH_MAX = 107;

function openSocket(path: string): Promise<Socket> {
  // A path too long for sockaddr_un is reached through its directory's /proc/self/fd entry.
  const dirFd = Buffer.byteLength(path) > SUN_PATH_MAX ? openSync(dirname(path), 'r') : undefined;
  const target = dirFd === undefined ? path : `/proc/self/fd/${dirFd}/${basename(path)}`;
  return new Promise((resolve, reject) => {
    const socket = connect({ path: target });
    const settle = (err?: Error) => {
      if (dirFd !== undefined) closeSync(dirFd);
      socket.off('error', settle);
      if (err) reject(new SupervisorError('ATTACH_FAILED', path, 'cannot connect to the attach socket', { cause: err }));
      else resolve(socket);
    };
    socket.once('connect', () => settle());
    socket.once('error', settle);
  });
}

function pipeOutput(socket: Socket, streams: AttachStreams, fail: (err: Error) => void): void {
  const decoder = new FrameDecoder();
  // Output backpressure reaches the supervisor: it stops reading from the container until we drain.
  const write = (out: Writable, data: Buffer) => {
    if (!out.write(data)) {
      socket.pause();
      out.once('drain', () => socket.resume());
    }
  };
  socket.on('data', (chunk: Buffer) => {
    if (streams.tty) return write(streams.stdout, chunk);
    try {
      for (const f of decoder.push(chunk)) write(f.stream === 'stdout' ? streams.stdout : streams.stderr, f.data);
    } catch (err) {
      fail(err as Error);
    }
  });
}

function pipeInput(socket: Socket, stdin: Readable, session: AttachSession): () => void {
  const onData = (data: Buffer | string) => {
    const bytes = typeof data === 'string' ? Buffer.from(data) : data;
    if (!socket.write(encodeFrame(ClientFrame.STDIN, bytes))) {
      stdin.pause();
      socket.once('drain', () => stdin.resume());
    }
  };
  const onEnd = () => session.closeStdin();
  stdin.on('data', onData);
  stdin.once('end', onEnd);
  return () => {
    stdin.off('data', onData);
    stdin.off('end', onEnd);
    stdin.pause();
  };
}

export async function attach(socketPath: string, streams: AttachStreams): Promise<AttachSession> {
  const socket = await openSocket(socketPath);
  let detached = false;
  let protocolError: Error | undefined;
  let stopInput = () => {};
  const send = (frame: Buffer) => {
    if (!socket.destroyed && socket.writable) socket.write(frame);
  };
  const done = new Promise<{ ended: boolean }>((resolve, reject) => {
    socket.once('close', () => {
      stopInput();
      if (protocolError) reject(new SupervisorError('ATTACH_PROTOCOL', socketPath, 'malformed output frame', { cause: protocolError }));
      else resolve({ ended: !detached });
    });
  });
  socket.on('error', () => {}); // a reset after the supervisor exits ends the session like a close
  const session: AttachSession = {
    resize: (rows, cols) => send(encodeResize(rows, cols)),
    closeStdin: () => send(encodeFrame(ClientFrame.CLOSE_STDIN)),
    detach: () => {
      detached = true;
      socket.destroy();
    },
    done,
  };
  pipeOutput(socket, streams, (err) => {
    protocolError = err;
    socket.destroy();
  });
  if (streams.stdin) stopInput = pipeInput(socket, streams.stdin, session);
  return session;
}
