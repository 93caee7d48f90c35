// `vessel build -` with a tar on stdin: the context is unpacked into a private directory, through
// the same in-root writer `cp` uses, so the archive cannot place anything outside it.
import { createReadStream } from 'node:fs';
import { openRoot, withFdAsync } from '../engine/fs/in-root.js';
import { writeTree } from '../engine/fs/tree-write.js';
import { decompressor, detectCompression, readTar } from '../image/layer/index.js';

export async function extractArchive(file: string, dir: string): Promise<void> {
  const head: Buffer = await new Promise((res, rej) => {
    const s = createReadStream(file, { start: 0, end: 3 });
    const parts: Buffer[] = [];
    s.on('data', (c) => parts.push(c as Buffer)).on('end', () => res(Buffer.concat(parts))).on('error', rej);
  });
  const compression = detectCompression(head);
  const raw = createReadStream(file);
  const stream = compression === 'none' ? raw : raw.pipe(decompressor(compression));
  await withFdAsync(openRoot(dir), (fd) => writeTree(fd, '/', readTar(stream as AsyncIterable<Buffer>) as AsyncIterable<never>));
}
