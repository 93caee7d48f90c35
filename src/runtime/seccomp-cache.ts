// Compiled seccomp programs, kept by a hash of their profile: a cold compile of docker's default
// profile costs tens of milliseconds at every container start, reading the cached bytes almost nothing.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LinuxSeccomp } from '../oci/spec.js';
import { compileSeccomp } from '../seccomp/index.js';
import type { SeccompProgram } from './plan/process.js';
import { writeAtomic } from './state-store.js';

// Part of the key: a new compiler must not reuse programs an older one produced.
const FORMAT = 'vessel-seccomp-1';

export function cachedSeccomp(profile: LinuxSeccomp, stateRoot: string): SeccompProgram {
  const key = createHash('sha256').update(FORMAT).update(JSON.stringify(profile)).digest('hex');
  const dir = join(stateRoot, 'seccomp-cache');
  const file = join(dir, `${key}.bpf`);
  try {
    const bytes = readFileSync(file);
    // 4 bytes of flags, then the sock_filter array
    return { flags: bytes.readUInt32LE(0), filter: bytes.subarray(4) };
  } catch {
    // not cached yet
  }
  const program = compileSeccomp(profile);
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const head = Buffer.alloc(4);
    head.writeUInt32LE(program.flags, 0);
    writeAtomic(file, Buffer.concat([head, program.filter]));
  } catch {
    // the cache is an optimisation: a read-only state root just compiles every time
  }
  return program;
}
