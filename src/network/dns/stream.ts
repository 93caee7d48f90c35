// DNS over TCP (RFC 1035 4.2.2, RFC 7766): every message is preceded by its length in two bytes,
// and a connection may carry several queries one after another.
import type { Socket } from 'node:net';

export function framed(msg: Buffer): Buffer {
  const len = Buffer.alloc(2);
  len.writeUInt16BE(msg.length);
  return Buffer.concat([len, msg]);
}

/** Calls `handle` with each whole message read from `socket`. */
export function onMessages(socket: Socket, handle: (msg: Buffer) => void): void {
  let pending: Buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
    while (pending.length >= 2) {
      const len = pending.readUInt16BE(0);
      if (pending.length < 2 + len) break;
      handle(pending.subarray(2, 2 + len));
      pending = pending.subarray(2 + len);
    }
  });
}
