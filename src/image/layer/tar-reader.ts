// The streaming tar reader for archive code (docker-archive, oci-archive):
//   for await (const { header, body } of readTar(stream)) { ... }
// Each body is a Readable of the entry's content, pulled from the input on demand. Read it (or
// not) before asking for the next entry: whatever is left unread is skipped.
import { Readable } from 'node:stream';
import { TarParser } from './tar-parser.js';
import type { TarHeader } from './tar-header.js';

export interface TarReadEntry {
  header: TarHeader;
  body: Readable;
}

type Event = { kind: 'entry'; header: TarHeader } | { kind: 'data'; chunk: Buffer } | { kind: 'end' };

export async function* readTar(input: AsyncIterable<Buffer | Uint8Array | string>): AsyncGenerator<TarReadEntry> {
  const queue: Event[] = [];
  const parser = new TarParser({
    entry: (header) => queue.push({ kind: 'entry', header }),
    data: (chunk) => queue.push({ kind: 'data', chunk }),
    entryEnd: () => queue.push({ kind: 'end' }),
  });
  const source = input[Symbol.asyncIterator]();
  let exhausted = false;
  let pumping: Promise<void> | null = null;

  async function pumpOnce(): Promise<void> {
    const next = await source.next();
    if (next.done || parser.ended) {
      exhausted = true;
      parser.finish();
      return;
    }
    parser.push(typeof next.value === 'string' ? Buffer.from(next.value) : Buffer.from(next.value.buffer, next.value.byteOffset, next.value.byteLength));
  }
  /** One pull from the input at a time, shared by the generator and the current body. */
  function pump(): Promise<void> {
    pumping ??= pumpOnce().finally(() => (pumping = null));
    return pumping;
  }

  try {
    for (;;) {
      let event = queue.shift();
      while (!event) {
        if (exhausted) return;
        await pump();
        event = queue.shift();
      }
      if (event.kind !== 'entry') continue;
      const entry = { body: new Readable(), ended: false, abandoned: false };
      let feeding = false;
      // Pull events for this entry until the consumer's buffer is full or the entry ends.
      entry.body._read = () => {
        if (feeding) return;
        feeding = true;
        void (async () => {
          try {
            for (;;) {
              if (entry.abandoned) return;
              const next = queue[0];
              if (!next) {
                if (exhausted) throw new Error('tar stream ended inside an entry');
                await pump();
                continue;
              }
              if (next.kind === 'entry') throw new Error('tar parser skipped an entry end');
              queue.shift();
              if (next.kind === 'end') {
                entry.ended = true;
                entry.body.push(null);
                return;
              }
              if (!entry.body.push(next.chunk)) return;
            }
          } catch (err) {
            entry.abandoned = true;
            entry.body.destroy(err as Error);
          } finally {
            feeding = false;
          }
        })();
      };
      yield { header: event.header, body: entry.body };
      if (entry.ended) continue;
      // The consumer moved on without reading everything: drop the rest of this entry.
      entry.abandoned = true;
      entry.body.destroy();
      while (pumping) await pumping;
      for (;;) {
        const next = queue[0];
        if (!next) {
          if (exhausted) return;
          await pump();
          continue;
        }
        if (next.kind === 'entry') break;
        queue.shift();
        if (next.kind === 'end') break;
      }
    }
  } finally {
    await source.return?.();
  }
}
