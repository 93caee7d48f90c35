// Random bytes straight from the kernel. For identifiers (container ids, names, volume names) this
// is what crypto.randomBytes gives, without loading node:crypto, which costs every command that
// creates something several milliseconds of start-up.
import { closeSync, openSync, readSync } from 'node:fs';

export function randomBytes(n: number): Buffer {
  const out = Buffer.alloc(n);
  const fd = openSync('/dev/urandom', 'r');
  try {
    for (let got = 0; got < n; ) got += readSync(fd, out, got, n - got, null);
  } finally {
    closeSync(fd);
  }
  return out;
}

/** A uniform integer in [0, bound), bound ≤ 2^32, by rejection sampling. */
export function randomInt(bound: number): number {
  const limit = Math.floor(0x100000000 / bound) * bound;
  for (;;) {
    const v = randomBytes(4).readUInt32LE(0);
    if (v < limit) return v % bound;
  }
}
