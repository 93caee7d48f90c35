// Writing layers: tar entries -> (diffID hash) -> compression -> (digest, size) -> out.
import { createHash } from 'node:crypto';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { compressor, type Compression } from './compression.js';
import { treeEntries, type TreeSys } from './tree-entries.js';
import { writeTar, type TarEntry } from './tar-writer.js';

export interface TarWriteResult {
  /** "sha256:<hex>" of the uncompressed tar. */
  diffId: string;
  /** "sha256:<hex>" of the bytes written to `out`. */
  digest: string;
  /** Bytes written to `out`. */
  size: number;
}

export interface PackOptions {
  /** Default gzip. */
  compression?: Compression;
  sys?: TreeSys;
}

function hashingTap(onChunk: (chunk: Buffer) => void): Transform {
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      onChunk(chunk);
      done(null, chunk);
    },
  });
}

/** Writes the entries as a layer to `out` (which is ended) and reports its digests. */
export async function packEntries(
  entries: AsyncIterable<TarEntry> | Iterable<TarEntry>,
  out: NodeJS.WritableStream,
  opts: { compression?: Compression } = {},
): Promise<TarWriteResult> {
  const diff = createHash('sha256');
  const digest = createHash('sha256');
  let size = 0;
  const tar = new PassThrough({ highWaterMark: 1024 * 1024 });
  const writing = writeTar(entries, tar).catch((err: unknown) => {
    tar.destroy(err as Error);
    throw err;
  });
  await Promise.all([
    writing,
    pipeline(
      tar,
      hashingTap((c) => diff.update(c)),
      compressor(opts.compression ?? 'gzip'),
      hashingTap((c) => {
        digest.update(c);
        size += c.length;
      }),
      out,
    ),
  ]);
  return { diffId: `sha256:${diff.digest('hex')}`, digest: `sha256:${digest.digest('hex')}`, size };
}

/** A whole directory tree (a rootfs) as a layer: for export, import and tests. */
export function tarDirectory(dir: string, out: NodeJS.WritableStream, opts: PackOptions = {}): Promise<TarWriteResult> {
  return packEntries(treeEntries(dir, { overlayDiff: false, sys: opts.sys }), out, opts);
}

/**
 * An overlay upper directory as an OCI layer: overlay whiteouts (0/0 character devices) become
 * `.wh.NAME`, opaque directories get `.wh..wh..opq`, overlay's own xattrs are left out.
 */
export function diffToLayer(upperDir: string, out: NodeJS.WritableStream, opts: PackOptions = {}): Promise<TarWriteResult> {
  return packEntries(treeEntries(upperDir, { overlayDiff: true, sys: opts.sys }), out, opts);
}
