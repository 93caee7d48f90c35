// docker's multiplexed stream (moby's stdcopy): without a TTY, attach, exec and logs send stdout
// and stderr over one connection as frames: 1 byte stream id (0 stdin, 1 stdout, 2 stderr, 3
// system error), 3 zero bytes, a 4-byte big-endian length, then the payload.

export const enum StreamId {
  Stdin = 0,
  Stdout = 1,
  Stderr = 2,
  Systemerr = 3,
}

const HEADER = 8;
/** A frame's payload is capped so one huge write does not become one huge frame. */
const MAX_PAYLOAD = 32 * 1024;

export function frame(stream: StreamId, payload: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  for (let off = 0; off < payload.length; off += MAX_PAYLOAD) {
    const chunk = payload.subarray(off, off + MAX_PAYLOAD);
    const head = Buffer.alloc(HEADER);
    head[0] = stream;
    head.writeUInt32BE(chunk.length, 4);
    frames.push(head, chunk);
  }
  return frames;
}

/** Splits a multiplexed byte stream back into frames (for the remote client and tests). */
export class FrameReader {
  private pending: Buffer = Buffer.alloc(0);

  /** Feeds bytes; returns the frames completed by them. */
  push(data: Buffer): { stream: StreamId; payload: Buffer }[] {
    this.pending = this.pending.length ? Buffer.concat([this.pending, data]) : data;
    const out: { stream: StreamId; payload: Buffer }[] = [];
    while (this.pending.length >= HEADER) {
      const size = this.pending.readUInt32BE(4);
      if (this.pending.length < HEADER + size) break;
      out.push({ stream: this.pending[0] as StreamId, payload: this.pending.subarray(HEADER, HEADER + size) });
      this.pending = this.pending.subarray(HEADER + size);
    }
    return out;
  }

  /** Bytes of an incomplete frame still held. */
  get buffered(): number {
    return this.pending.length;
  }
}
