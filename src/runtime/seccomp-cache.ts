// Compiled seccomp programs, kept by a hash of their profile: a cold compile of docker's default
// profile costs tens of milliseconds at every container start, reading the cached bytes almost nothing.
// The file name is a fast non-cryptographic hash (see hash/fnv.ts); the entry also holds the profile itself, and a program is used only for exactly
// the profile it was compiled from, so a collision costs a compile, never a wrong filter.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinuxSeccomp } from '../oci/spec.js';
import { fnv1a64 } from '../hash/fnv.js';
import { compileSeccomp } from '../seccomp/index.js';
import type { SeccompProgram } from './plan/process.js';
import { writeAtomic } from './state-store.js';

// Part of the key: a new compiler must not reuse programs an older one produced.
const FORMAT = 'vessel-seccomp-2';

// Entry layout: u32 flags, u32 filter length, the sock_filter array, then the profile key text.
export function cachedSeccomp(profile: LinuxSeccomp, stateRoot: string): SeccompProgram {
  const text = FORMAT + JSON.stringify(profile);
  const dir = join(stateRoot, 'seccomp-cache');
  // a sample of the text and its length pick the entry (hashing all of a large profile in cold
  // JavaScript costs milliseconds); the stored text decides whether it is this profile's
  const file = join(dir, `${fnv1a64(text, 16)}-${text.length.toString(16)}.bpf`);
  try {
    const bytes = readFileSync(file);
    const length = bytes.readUInt32LE(4);
    if (bytes.toString('utf8', 8 + length) === text) return { flags: bytes.readUInt32LE(0), filter: bytes.subarray(8, 8 + length) };
  } catch {
    // not cached yet
  }
  const program = compileSeccomp(profile);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const head = Buffer.alloc(8);
    head.writeUInt32LE(program.flags, 0);
    head.writeUInt32LE(program.filter.length, 4);
    writeAtomic(file, Buffer.concat([head, program.filter, Buffer.from(text)]));
  } catch {
    // the cache is an optimisation: a read-only state root just compiles every time
  }
  return program;
}
