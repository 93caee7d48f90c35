// Turns an OCI mount's options list into mount(2) flags, propagation flags and a data string.
import { MountFlag as F } from '../sys/native.js';

interface FlagEffect {
  set?: number;
  clear?: number;
}

const FLAGS: Record<string, FlagEffect> = {
  ro: { set: F.RDONLY }, rw: { clear: F.RDONLY },
  nosuid: { set: F.NOSUID }, suid: { clear: F.NOSUID },
  nodev: { set: F.NODEV }, dev: { clear: F.NODEV },
  noexec: { set: F.NOEXEC }, exec: { clear: F.NOEXEC },
  sync: { set: F.SYNCHRONOUS }, async: { clear: F.SYNCHRONOUS },
  dirsync: { set: F.DIRSYNC },
  remount: { set: F.REMOUNT },
  mand: { set: F.MANDLOCK }, nomand: { clear: F.MANDLOCK },
  noatime: { set: F.NOATIME }, atime: { clear: F.NOATIME },
  nodiratime: { set: F.NODIRATIME }, diratime: { clear: F.NODIRATIME },
  relatime: { set: F.RELATIME }, norelatime: { clear: F.RELATIME },
  strictatime: { set: F.STRICTATIME }, nostrictatime: { clear: F.STRICTATIME },
  lazytime: { set: F.LAZYTIME }, nolazytime: { clear: F.LAZYTIME },
  nosymfollow: { set: F.NOSYMFOLLOW }, symfollow: { clear: F.NOSYMFOLLOW },
  bind: { set: F.BIND }, rbind: { set: F.BIND | F.REC },
  defaults: {},
};

const PROPAGATION: Record<string, number> = {
  private: F.PRIVATE, rprivate: F.PRIVATE | F.REC,
  shared: F.SHARED, rshared: F.SHARED | F.REC,
  slave: F.SLAVE, rslave: F.SLAVE | F.REC,
  unbindable: F.UNBINDABLE, runbindable: F.UNBINDABLE | F.REC,
};

// Options that only matter to other runtimes or to the engine; mount(2) must not see them.
const IGNORED = new Set(['tmpcopyup', 'notmpcopyup', 'copy-symlink', 'Z', 'z', 'U', 'idmap', 'ridmap']);

export interface ParsedMountOptions {
  flags: number;
  propagation: number[];
  data: string;
  isBind: boolean;
}

export function parseMountOptions(options: readonly string[] | undefined): ParsedMountOptions {
  let flags = 0;
  const propagation: number[] = [];
  const data: string[] = [];
  for (const opt of options ?? []) {
    const f = FLAGS[opt];
    if (f) {
      flags = (flags | (f.set ?? 0)) & ~(f.clear ?? 0);
    } else if (PROPAGATION[opt] !== undefined) {
      propagation.push(PROPAGATION[opt]);
    } else if (!IGNORED.has(opt)) {
      data.push(opt);
    }
  }
  return { flags, propagation, data: data.join(','), isBind: (flags & F.BIND) !== 0 };
}

export function rootPropagation(name: string | undefined): number {
  if (!name) return F.SLAVE | F.REC;
  const p = PROPAGATION[name];
  if (p === undefined) throw new Error(`unknown rootfsPropagation "${name}"`);
  return p | F.REC;
}

/** Flags that a read-only bind remount must carry (a bind mount ignores them on the first mount). */
export const BIND_REMOUNT_FLAGS = F.RDONLY | F.NOSUID | F.NODEV | F.NOEXEC | F.NOATIME | F.NODIRATIME | F.RELATIME | F.STRICTATIME | F.NOSYMFOLLOW;
