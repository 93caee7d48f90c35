// Attach and exec take over the connection: docker's clients ask with `Upgrade: tcp` and get a
// 101 answer, then raw bytes both ways (multiplexed frames when there is no TTY).
import type { Duplex } from 'node:stream';

export interface Hijacked {
  socket: Duplex;
  /** Bytes the client sent after its request headers (stdin that raced the answer). */
  head: Buffer;
}

export function streamType(tty: boolean): string {
  return tty ? 'application/vnd.docker.raw-stream' : 'application/vnd.docker.multiplexed-stream';
}

/** The 101 answer to `Upgrade: tcp`, after which the connection carries the stream. */
export function hijackAnswer(tty: boolean): string {
  return `HTTP/1.1 101 UPGRADED\r\nContent-Type: ${streamType(tty)}\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n`;
}
