// Writes archive entries as files under a directory (an OCI layout dir instead of its tar).
import { createWriteStream, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { TarEntry } from '../layer/tar-writer.js';

export async function writeEntriesToDir(entries: AsyncIterable<TarEntry>, dir: string): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for await (const { header, body } of entries) {
    const target = join(dir, header.name);
    if (header.type === 'directory') {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    if (Buffer.isBuffer(body)) writeFileSync(target, body);
    else await pipeline(Readable.from(body ?? []), createWriteStream(target));
  }
}
