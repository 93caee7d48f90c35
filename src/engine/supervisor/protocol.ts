// The attach socket's framing (native/supervisor/supervisor.h): both directions use docker's
// 8-byte header [kind, 0, 0, 0, payload size as big-endian u32]. The supervisor sends output
// frames (kind 1 stdout, 2 stderr), or raw bytes for a terminal; clients send stdin, a terminal
// size, or the end of stdin.
export const FRAME_HEADER = 8;
export const StreamId = { STDIN: 0, STDOUT: 1, STDERR: 2 } as const;
export const ClientFrame = { STDIN: 0, RESIZE: 3, CLOSE_STDIN: 4 } as const;
export type OutputStream = 'stdout' | 'stderr';

const streamNames = new Map<number, OutputStream>([
  [StreamId.STDOUT, 'stdout'],
  [StreamId.STDERR, 'stderr'],
]);

export function encodeFrame(kind: number, payload: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(FRAME_HEADER);
  header[0] = kind;
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
}

export function encodeResize(rows: number, cols: number): Buffer {
  const size = Buffer.alloc(4);
  size.writeUInt16BE(rows, 0);
  size.writeUInt16BE(cols, 2);
  return encodeFrame(ClientFrame.RESIZE, size);
}

/** Splits the supervisor's multiplexed output back into streams; chunks may cut frames anywhere. */
export class FrameDecoder {
  private pending: Buffer = Buffer.alloc(0);

  /** Returns the complete frames in `chunk` (plus what earlier chunks left); throws on an unknown stream. */
  push(chunk: Buffer): { stream: OutputStream; data: Buffer }[] {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const frames: { stream: OutputStream; data: Buffer }[] = [];
    while (buf.length >= FRAME_HEADER) {
      const size = buf.readUInt32BE(4);
      if (buf.length < FRAME_HEADER + size) break;
      const stream = streamNames.get(buf[0]!);
      if (!stream) throw new RangeError(`unknown stream ${buf[0]} in an attach frame`);
      frames.push({ stream, data: buf.subarray(FRAME_HEADER, FRAME_HEADER + size) });
      buf = buf.subarray(FRAME_HEADER + size);
    }
    this.pending = Buffer.from(buf);
    return frames;
  }
}
