// A small tar writer: entries in, a tar stream out. Headers and small bodies are batched into
// large writes so a layer of many small files does not turn into a write call per 512 bytes.
import { finished } from 'node:stream/promises';
import { once } from 'node:events';
import { LayerError } from './errors.js';
import { BLOCK, encodeHeader, padTo, type TarHeaderInput } from './tar-header.js';

export interface TarEntry {
  header: TarHeaderInput;
  /** Content of a file entry; its length must equal header.size. */
  body?: Buffer | AsyncIterable<Buffer | Uint8Array>;
}

const BATCH = 256 * 1024;

class BatchedOutput {
  private parts: Buffer[] = [];
  private length = 0;

  constructor(private readonly out: NodeJS.WritableStream) {}

  async write(buf: Buffer): Promise<void> {
    if (buf.length >= BATCH) {
      await this.flush();
      await this.send(buf);
      return;
    }
    this.parts.push(buf);
    this.length += buf.length;
    if (this.length >= BATCH) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.length === 0) return;
    const buf = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts, this.length);
    this.parts = [];
    this.length = 0;
    await this.send(buf);
  }

  private async send(buf: Buffer): Promise<void> {
    if (!this.out.write(buf)) await once(this.out as NodeJS.EventEmitter, 'drain');
  }
}

async function writeBody(sink: BatchedOutput, entry: TarEntry): Promise<void> {
  const expected = entry.header.type === 'file' ? (entry.header.size ?? 0) : 0;
  let written = 0;
  const body = entry.body;
  if (body && expected > 0) {
    const chunks: AsyncIterable<Buffer | Uint8Array> | Buffer[] = Buffer.isBuffer(body) ? [body] : body;
    for await (const chunk of chunks) {
      written += chunk.length;
      if (written > expected) break;
      await sink.write(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
    }
  }
  if (written !== expected) {
    throw new LayerError('LAYER_IO', `tar entry ${entry.header.name}: header says ${expected} bytes, content has ${written}`, entry.header.name);
  }
  const pad = padTo(expected);
  if (pad) await sink.write(Buffer.alloc(pad));
}

/**
 * Writes the entries and the end-of-archive blocks to `out`, honouring back-pressure. `out` is
 * ended (and waited for) unless `end: false`.
 */
export async function writeTar(
  entries: AsyncIterable<TarEntry> | Iterable<TarEntry>,
  out: NodeJS.WritableStream,
  opts: { end?: boolean } = {},
): Promise<void> {
  const sink = new BatchedOutput(out);
  for await (const entry of entries) {
    await sink.write(encodeHeader(entry.header));
    await writeBody(sink, entry);
  }
  await sink.write(Buffer.alloc(2 * BLOCK));
  await sink.flush();
  if (opts.end ?? true) {
    out.end();
    await finished(out);
  }
}
