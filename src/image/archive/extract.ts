// Unpacks an archive (docker-archive or oci-archive, optionally compressed) into a staging dir
// under the store, so its blobs can later be renamed into the store rather than copied. Only
// files, dirs and links that stay inside the staging dir are accepted.
import { createWriteStream, linkSync, mkdirSync } from 'node:fs';
import { dirname, join, normalize, relative, resolve } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ImageError } from '../errors.js';
import { decompressor, detectCompression, SNIFF_BYTES } from '../layer/compression.js';
import { readTar } from '../layer/tar-reader.js';
import { stagingPath, unstage } from '../store/blobs.js';
import type { StorePaths } from '../store/paths.js';

function inside(root: string, name: string, subject: string): string {
  const target = resolve(root, normalize(name.replace(/^\/+/, '')));
  const rel = relative(root, target);
  if (rel.startsWith('..') || rel === '') throw new ImageError('ARCHIVE_INVALID', `archive entry ${name} escapes the archive`, subject);
  return target;
}

/** Peeks at the first bytes of a stream and returns a stream that still yields all of them. */
export async function sniff(input: Readable, n: number): Promise<{ head: Buffer; stream: Readable }> {
  const chunks: Buffer[] = [];
  let have = 0;
  const it = input[Symbol.asyncIterator]();
  while (have < n) {
    const r = await it.next();
    if (r.done) break;
    chunks.push(r.value as Buffer);
    have += (r.value as Buffer).length;
  }
  const out = new PassThrough({ highWaterMark: 1 << 20 });
  void (async () => {
    try {
      for (const c of chunks) if (!out.write(c)) await new Promise((r) => out.once('drain', r));
      for (let r = await it.next(); !r.done; r = await it.next()) {
        if (!out.write(r.value)) await new Promise((res) => out.once('drain', res));
      }
      out.end();
    } catch (err) {
      out.destroy(err as Error);
    }
  })();
  return { head: Buffer.concat(chunks).subarray(0, n), stream: out };
}

export async function extractArchive(paths: StorePaths, input: Readable, subject: string): Promise<{ dir: string; cleanup: () => void }> {
  const dir = stagingPath(paths, 'archive');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const cleanup = (): void => unstage(dir);
  try {
    const { head, stream } = await sniff(input, SNIFF_BYTES);
    const plain = stream.pipe(decompressor(detectCompression(head)));
    const links: [string, string][] = [];
    for await (const { header, body } of readTar(plain)) {
      // `tar -C layout -cf x.tar .` starts with the archive's own root, "./"
      if (header.type === 'directory' && resolve(dir, normalize(header.name.replace(/^\/+/, ''))) === dir) continue;
      const target = inside(dir, header.name, subject);
      if (header.type === 'directory') mkdirSync(target, { recursive: true });
      else if (header.type === 'file') {
        mkdirSync(dirname(target), { recursive: true });
        await pipeline(body, createWriteStream(target));
      } else if (header.type === 'symlink' || header.type === 'hardlink') {
        // old docker archives link repeated layers to the first copy
        const from = header.type === 'symlink' ? join(dirname(header.name), header.linkname) : header.linkname;
        links.push([target, inside(dir, from, subject)]);
      }
    }
    for (const [target, source] of links) {
      mkdirSync(dirname(target), { recursive: true });
      linkSync(source, target);
    }
    return { dir, cleanup };
  } catch (err) {
    cleanup();
    if (err instanceof ImageError) throw err;
    throw new ImageError('ARCHIVE_INVALID', `cannot read archive ${subject}: ${(err as Error).message}`, subject, { cause: err });
  }
}
