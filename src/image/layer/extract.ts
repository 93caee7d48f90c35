// extractLayer: a (possibly compressed) layer tar stream unpacked into a directory, with the
// uncompressed tar's digest (the layer's diffID) computed on the way.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { decompressor, detectCompression, SNIFF_BYTES, type Compression } from './compression.js';
import { LayerError } from './errors.js';
import { ExtractTarget, type ExtractSys } from './extract-target.js';
import { Ownership, type LayerIdMap } from './ownership.js';
import { TarParser } from './tar-parser.js';

export interface ExtractResult {
  /** "sha256:<hex>" of the uncompressed tar. */
  diffId: string;
  /** Bytes of file content unpacked. */
  size: number;
  /** Things tolerated rather than failed on (xattrs the file system refused; rootless: ownership and devices, counted). */
  warnings: string[];
}

export interface ExtractOptions {
  /** Default: sniffed from the first bytes. */
  compression?: Compression;
  /** System calls for device nodes and xattrs (tests may pass a fake). */
  sys?: ExtractSys;
  /** Container ids -> ids on disk (a remapped user namespace); ids it does not cover are counted. */
  idMap?: LayerIdMap;
  /**
   * Extracting without root powers (a user, or in the user's namespace): ownership and device nodes
   * the kernel refuses are skipped and counted in the warnings, and the overlay marks are user.*.
   */
  rootless?: boolean;
}

/** Reads just enough of the input to tell its compression, then replays those bytes. */
async function sniff(input: NodeJS.ReadableStream): Promise<{ compression: Compression; stream: Readable }> {
  const source = (input as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let length = 0;
  let done = false;
  while (length < SNIFF_BYTES) {
    const next = await source.next();
    if (next.done) {
      done = true;
      break;
    }
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    head.push(chunk);
    length += chunk.length;
  }
  async function* replay(): AsyncGenerator<Buffer> {
    yield* head;
    if (done) return;
    for (;;) {
      const next = await source.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { compression: detectCompression(Buffer.concat(head)), stream: Readable.from(replay(), { objectMode: false }) };
}

function asLayerError(err: unknown, destDir: string): LayerError {
  if (err instanceof LayerError) return err;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && code.startsWith('Z_')) {
    return new LayerError('LAYER_DECOMPRESS', `cannot decompress layer: ${(err as Error).message}`, destDir, { cause: err });
  }
  return new LayerError('LAYER_IO', `cannot unpack layer into ${destDir}: ${(err as Error)?.message ?? String(err)}`, destDir, { cause: err });
}

/**
 * Unpacks a layer into `destDir` (created if missing). On a LayerError nothing has been written
 * outside `destDir`, but what was unpacked so far stays: the caller removes the directory.
 */
export async function extractLayer(input: NodeJS.ReadableStream, destDir: string, opts: ExtractOptions = {}): Promise<ExtractResult> {
  mkdirSync(destDir, { recursive: true });
  const target = new ExtractTarget(destDir, opts.sys, new Ownership({ idMap: opts.idMap, rootless: opts.rootless ?? false }));
  const parser = new TarParser(target);
  const hash = createHash('sha256');
  // the consumer's own error, which pipeline would otherwise report as the source's AbortError
  let unpackError: unknown;
  try {
    const { compression, stream } = opts.compression
      ? { compression: opts.compression, stream: input }
      : await sniff(input);
    await pipeline(stream, decompressor(compression), async (tar: AsyncIterable<Buffer>) => {
      try {
        for await (const chunk of tar) {
          hash.update(chunk);
          parser.push(chunk);
        }
      } catch (err) {
        unpackError = err;
        throw err;
      }
    });
    parser.finish();
    target.finish();
  } catch (err) {
    target.abort();
    throw asLayerError(unpackError ?? err, destDir);
  }
  return { diffId: `sha256:${hash.digest('hex')}`, size: target.size, warnings: target.warnings };
}
