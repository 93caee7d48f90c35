// Attach client: the container's live output to the given streams, and stdin, terminal size and
// the end of stdin to the supervisor. The supervisor ends the stream once the container has ended
// and its exit file is written.
//
// The socket is a plain descriptor read and written with libuv's fs operations rather than a
// net.Socket: every foreground `run` attaches, and loading node:net (and building process.stdout
// before anything is printed) cost it milliseconds. Output streams are read from `streams` only
// when output arrives, so a silent container never makes them.
import { closeSync, constants, openSync, read, write } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { sys } from '../../sys/native.js';
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

// sun_path holds 108 bytes; the addon's string arguments keep one for the NUL and refuse a string
// that fills the rest, so 106 is the longest path it connects to directly
const SUN_PATH_MAX = 106;
const SHUT_RDWR = 2;
const READ_SIZE = 64 * 1024;

function openSocket(path: string): number {
  // A path too long for sockaddr_un is reached through its directory's /proc/self/fd entry.
  const dirFd = Buffer.byteLength(path) > SUN_PATH_MAX ? openSync(dirname(path), 'r') : undefined;
  try {
    return sys().unixConnect(dirFd === undefined ? path : `/proc/self/fd/${dirFd}/${basename(path)}`);
  } catch (cause) {
    throw new SupervisorError('ATTACH_FAILED', path, 'cannot connect to the attach socket', { cause });
  } finally {
    if (dirFd !== undefined) closeSync(dirFd);
  }
}

/** Frames to the supervisor, one write in flight at a time. */
class FrameWriter {
  private queue: Buffer[] = [];
  private busy = false;
  private closed = false;
  private afterLast: (() => void) | undefined;
  constructor(
    private readonly fd: number,
    /** the queue has emptied: input may flow again */
    private readonly idle: () => void,
  ) {}

  get pending(): boolean {
    return this.busy;
  }

  send(frame: Buffer): void {
    if (this.closed) return;
    this.queue.push(frame);
    if (!this.busy) this.next();
  }

  /** No more frames; `then` runs once no write is in flight (the fd may be closed then, not before). */
  close(then: () => void): void {
    this.closed = true;
    this.queue = [];
    if (this.busy) this.afterLast = then;
    else then();
  }

  private next(): void {
    const frame = this.queue.shift();
    if (!frame) {
      this.busy = false;
      if (this.afterLast) this.afterLast();
      else if (!this.closed) this.idle();
      return;
    }
    this.busy = true;
    write(this.fd, frame, 0, frame.length, null, (err, n) => {
      // a supervisor gone away ends the session through the read side
      if (err) this.queue = [];
      else if (n < frame.length) this.queue.unshift(frame.subarray(n));
      this.next();
    });
  }
}

export async function attach(socketPath: string, streams: AttachStreams): Promise<AttachSession> {
  const fd = openSocket(socketPath);
  let open = true;
  let detached = false;
  let finish: (r: { ended: boolean } | Error) => void = () => {};
  const done = new Promise<{ ended: boolean }>((resolve, reject) => {
    finish = (r) => (r instanceof Error ? reject(r) : resolve(r));
  });
  let inputActive = false;
  let stopInput = () => {};
  const writer = new FrameWriter(fd, () => inputActive && streams.stdin?.resume());
  const end = (protocolError?: Error) => {
    if (!open) return;
    open = false;
    stopInput();
    writer.close(() => closeSync(fd));
    finish(protocolError ? new SupervisorError('ATTACH_PROTOCOL', socketPath, 'malformed output frame', { cause: protocolError }) : { ended: !detached });
  };
  const session: AttachSession = {
    resize: (rows, cols) => writer.send(encodeResize(rows, cols)),
    closeStdin: () => writer.send(encodeFrame(ClientFrame.CLOSE_STDIN)),
    detach: () => {
      detached = true;
      // the pending read returns 0 and ends the session
      if (open) sys().shutdown(fd, SHUT_RDWR);
    },
    done,
  };

  // Output: one read at a time; the next waits until the stream has taken this one, so a slow
  // reader here holds the supervisor (and the container) back instead of growing our memory.
  const decoder = new FrameDecoder();
  const buf = Buffer.allocUnsafe(READ_SIZE);
  const deliver = (chunk: Buffer, then: () => void) => {
    const writes: [Writable, Buffer][] = streams.tty
      ? [[streams.stdout, chunk]]
      : decoder.push(chunk).map((f) => [f.stream === 'stdout' ? streams.stdout : streams.stderr, f.data]);
    let waiting = 0;
    for (const [out, data] of writes) {
      if (!out.write(data)) {
        waiting++;
        out.once('drain', () => --waiting === 0 && then());
      }
    }
    if (waiting === 0) then();
  };
  const pump = (): void => {
    if (!open) return;
    read(fd, buf, 0, READ_SIZE, null, (err, n) => {
      if (err || n === 0) return end();
      try {
        deliver(Buffer.from(buf.subarray(0, n)), pump);
      } catch (protocolError) {
        end(protocolError as Error);
      }
    });
  };
  pump();

  if (streams.stdin) {
    const stdin = streams.stdin;
    const onData = (data: Buffer | string) => {
      writer.send(encodeFrame(ClientFrame.STDIN, typeof data === 'string' ? Buffer.from(data) : data));
      if (writer.pending) stdin.pause();
    };
    const onEnd = () => session.closeStdin();
    stdin.on('data', onData);
    stdin.once('end', onEnd);
    inputActive = true;
    stopInput = () => {
      inputActive = false;
      stdin.off('data', onData);
      stdin.off('end', onEnd);
      stdin.pause();
    };
  }
  return session;
}

/**
 * Sizes the terminal of a created container whose init still waits for its start (the runtime gave
 * it the pty as stdin). A resize frame travels through the supervisor and may land only after the
 * released process first asked for its size; this is in place before it runs. False when the init
 * has no terminal on stdin (or is gone).
 */
export function sizeWaitingTerminal(initPid: number, rows: number, cols: number): boolean {
  let fd: number;
  try {
    fd = openSync(`/proc/${initPid}/fd/0`, constants.O_RDWR | constants.O_NOCTTY | constants.O_NONBLOCK);
  } catch {
    return false;
  }
  try {
    sys().setWinsize(fd, rows, cols);
    return true;
  } catch {
    return false; // not a terminal
  } finally {
    closeSync(fd);
  }
}
