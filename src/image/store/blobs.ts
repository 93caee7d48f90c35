// Content-addressed blobs: streamed to a staging file while hashed, checked against the expected
// digest and size, then renamed into place, so a blob file is either absent or complete and correct.
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, renameSync, statSync } from 'node:fs';
import { Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { explainNoSpace, ImageError } from '../errors.js';
import { removeBlobFile, stagingPath, unstage } from './blob-files.js';
import { blobPath, type StorePaths } from './paths.js';

export interface BlobInfo {
  digest: string;
  size: number;
}

export function hasBlob(paths: StorePaths, digest: string): boolean {
  return existsSync(blobPath(paths, digest));
}

export function blobSize(paths: StorePaths, digest: string): number {
  return statSync(blobPath(paths, digest)).size;
}

export function readBlob(paths: StorePaths, digest: string): Buffer {
  try {
    return readFileSync(blobPath(paths, digest));
  } catch (cause) {
    throw new ImageError('BLOB_NOT_FOUND', `blob ${digest} is not in the store`, digest, { cause });
  }
}

export function openBlob(paths: StorePaths, digest: string): Readable {
  if (!hasBlob(paths, digest)) throw new ImageError('BLOB_NOT_FOUND', `blob ${digest} is not in the store`, digest);
  return createReadStream(blobPath(paths, digest), { highWaterMark: 1 << 20 });
}


/** A pass-through stream that hashes and counts what flows through it. */
export class Digester extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _enc: BufferEncoding, cb: (e?: Error | null, d?: Buffer) => void): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

/**
 * Stores `source`. With `expected`, a mismatch is refused and nothing is stored; without it the
 * blob is stored under the digest it hashes to.
 */
export async function writeBlob(
  paths: StorePaths,
  source: Readable,
  expected?: { digest: string; size?: number },
  onBytes?: (n: number) => void,
): Promise<BlobInfo> {
  const staging = stagingPath(paths, 'blob');
  const digester = new Digester();
  if (onBytes) digester.on('data', (c: Buffer) => onBytes(c.length));
  try {
    try {
      await pipeline(source, digester, createWriteStream(staging, { mode: 0o644 }));
    } catch (e) {
      throw explainNoSpace(e, `writing ${expected?.digest ?? 'a blob'} to ${staging}`, staging);
    }
    const digest = digester.digest();
    const subject = expected?.digest ?? digest;
    if (expected && (digest !== expected.digest || (expected.size !== undefined && expected.size !== digester.size))) {
      throw new ImageError(
        'DIGEST_MISMATCH',
        `blob ${expected.digest}: received content has digest ${digest} and size ${digester.size}` +
          (expected.size !== undefined ? ` (want size ${expected.size})` : ''),
        subject,
      );
    }
    mkdirSync(paths.blobs, { recursive: true });
    renameSync(staging, blobPath(paths, digest));
    return { digest, size: digester.size };
  } finally {
    unstage(staging);
  }
}

export async function writeBlobBuffer(paths: StorePaths, data: Buffer, expectedDigest?: string): Promise<BlobInfo> {
  return writeBlob(paths, Readable.from([data]), expectedDigest ? { digest: expectedDigest, size: data.length } : undefined);
}

/**
 * Moves an existing file (on the store's filesystem, e.g. under tmp/) into the store after
 * hashing it, instead of copying it.
 */
export async function adoptBlobFile(paths: StorePaths, file: string, expectedDigest?: string): Promise<BlobInfo> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  const digest = `sha256:${hash.digest('hex')}`;
  if (expectedDigest && digest !== expectedDigest) {
    throw new ImageError('DIGEST_MISMATCH', `${file}: content has digest ${digest}, expected ${expectedDigest}`, expectedDigest);
  }
  mkdirSync(paths.blobs, { recursive: true });
  renameSync(file, blobPath(paths, digest));
  return { digest, size };
}

export { removeBlobFile, stagingPath, unstage };
