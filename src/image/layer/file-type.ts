// What kind of tar entry a file is, and its device numbers: shared by every tree reader.
import type { Stats } from 'node:fs';
import type { TarEntryType } from './tar-header.js';

const typeOfStats: [(st: Stats) => boolean, TarEntryType][] = [
  [(st) => st.isFile(), 'file'],
  [(st) => st.isDirectory(), 'directory'],
  [(st) => st.isSymbolicLink(), 'symlink'],
  [(st) => st.isCharacterDevice(), 'char'],
  [(st) => st.isBlockDevice(), 'block'],
  [(st) => st.isFIFO(), 'fifo'],
];

/** undefined for sockets, which tar cannot hold. */
export function entryType(st: Stats): TarEntryType | undefined {
  return typeOfStats.find(([test]) => test(st))?.[1];
}

/** Linux's dev_t split (glibc's gnu_dev_major/minor). */
export function deviceNumbers(rdev: number): { devMajor: number; devMinor: number } {
  const high = Math.floor(rdev / 2 ** 32);
  const low = rdev >>> 0;
  return {
    devMajor: ((low >>> 8) & 0xfff) | ((high & ~0xfff) >>> 0),
    devMinor: (low & 0xff) | ((low >>> 12) & ~0xff),
  };
}
