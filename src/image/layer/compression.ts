// Layer compression: sniffing, and streams that decode or encode gzip and zstd. gzip runs in
// node:zlib; Node 20's zlib has no zstd, so zstd runs through the `zstd` program (Debian's zstd
// package), streaming through its stdin and stdout.
import { spawn } from 'node:child_process';
import { Duplex, PassThrough, type Transform } from 'node:stream';
import { constants as zlibConstants, createGunzip, createGzip } from 'node:zlib';
import { LayerError } from './errors.js';

export type Compression = 'gzip' | 'zstd' | 'none';

const magics: { compression: Compression; bytes: number[] }[] = [
  { compression: 'gzip', bytes: [0x1f, 0x8b] },
  { compression: 'zstd', bytes: [0x28, 0xb5, 0x2f, 0xfd] },
];

/** The compression of a stream from its first bytes (4 are enough); anything else is a plain tar. */
export function detectCompression(head: Buffer): Compression {
  for (const { compression, bytes } of magics) {
    if (head.length >= bytes.length && bytes.every((b, i) => head[i] === b)) return compression;
  }
  return 'none';
}

/** Bytes needed to tell the compressions apart. */
export const SNIFF_BYTES = 4;

/**
 * Runs a filter program as a Duplex: what is written goes to its stdin, its stdout is read. The
 * readable side ends only once the program exited successfully, so a failure is never mistaken
 * for a short stream.
 */
function programFilter(command: string, args: string[], what: string): Duplex {
  const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  const stderr: Buffer[] = [];
  const failure = (cause: unknown) =>
    new LayerError('LAYER_DECOMPRESS', `${what} failed: ${Buffer.concat(stderr).toString().trim() || String(cause)}`, command, { cause });
  const duplex = new Duplex({
    write(chunk: Buffer, _enc, done) {
      if (child.stdin.write(chunk)) done();
      else child.stdin.once('drain', () => done());
    },
    final(done) {
      child.stdin.end();
      done();
    },
    read() {
      child.stdout.resume();
    },
    destroy(err, done) {
      if (child.exitCode === null && child.signalCode === null) child.kill();
      done(err);
    },
  });
  child.stderr.on('data', (c: Buffer) => stderr.push(c));
  child.stdout.on('data', (c: Buffer) => {
    if (!duplex.push(c)) child.stdout.pause();
  });
  // a program that died early makes stdin fail with EPIPE; its exit status tells the real story
  child.stdin.on('error', () => {});
  child.on('error', (err) => duplex.destroy(failure(err)));
  child.on('close', (code, signal) => {
    if (code === 0) duplex.push(null);
    else duplex.destroy(failure(new Error(`${command} exited with ${code ?? signal}`)));
  });
  return duplex;
}

const decoders: Record<Compression, () => Duplex | Transform> = {
  gzip: () => createGunzip({ chunkSize: 128 * 1024 }),
  zstd: () => programFilter('zstd', ['-d', '-c', '-q'], 'zstd decompression'),
  none: () => new PassThrough(),
};

const encoders: Record<Compression, () => Duplex | Transform> = {
  gzip: () => createGzip({ level: zlibConstants.Z_DEFAULT_COMPRESSION, chunkSize: 128 * 1024 }),
  zstd: () => programFilter('zstd', ['-c', '-q', '-3', '-T0'], 'zstd compression'),
  none: () => new PassThrough(),
};

export function decompressor(compression: Compression): Duplex | Transform {
  return decoders[compression]();
}

export function compressor(compression: Compression): Duplex | Transform {
  return encoders[compression]();
}
