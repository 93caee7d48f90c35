// Whose files a layer's entries become. As root, the owner the image asks for, translated through
// an id map when one is given (a container whose user namespace maps its ids elsewhere on the host).
// Rootless (an ordinary user, or root inside a user namespace), the kernel decides: inside a user
// namespace with the user's ranges mapped, chown works for every id the ranges cover and fails
// with EINVAL for the rest; as a plain user it fails with EPERM for any id but the user's own.
// Either way the entry is kept, owned by the extracting user, without setuid/setgid bits (they
// would be granted by the wrong owner), and counted: one warning per kind, not one per file.
import type { IdMapping } from '../../oci/spec.js';
import type { TarHeader } from './tar-header.js';

export interface LayerIdMap {
  /** containerID -> hostID, as in an OCI config's linux.uidMappings / gidMappings. */
  uidMappings: IdMapping[];
  gidMappings: IdMapping[];
}

export interface OwnershipOptions {
  idMap?: LayerIdMap;
  /** Ownership (and device nodes) the kernel refuses are tolerated and counted, not failures. */
  rootless: boolean;
}

const SPECIAL_BITS = 0o6000;

/** Maps a container id to a host id; undefined when no mapping covers it. */
export function mapId(maps: IdMapping[], id: number): number | undefined {
  for (const m of maps) if (id >= m.containerID && id < m.containerID + m.size) return m.hostID + (id - m.containerID);
  return undefined;
}

class Tally {
  count = 0;
  first = '';
  note(example: string): void {
    if (this.count++ === 0) this.first = example;
  }
}

export class Ownership {
  /** Entries whose ids no mapping (or the user namespace) covers. */
  private readonly outside = new Tally();
  /** Entries whose mapped ids the kernel refused to a plain user. */
  private readonly refused = new Tally();

  constructor(private readonly opts: OwnershipOptions) {}

  get rootless(): boolean {
    return this.opts.rootless;
  }

  /**
   * Applies the entry's owner with `chown` and returns the mode to set: the entry's own, or without
   * setuid/setgid when the owner could not be applied.
   */
  apply(h: TarHeader, chown: (uid: number, gid: number) => void): number {
    const map = this.opts.idMap;
    const uid = map ? mapId(map.uidMappings, h.uid) : h.uid;
    const gid = map ? mapId(map.gidMappings, h.gid) : h.gid;
    if (uid === undefined || gid === undefined) {
      this.outside.note(`${h.name} (uid ${h.uid}, gid ${h.gid})`);
      return h.mode & ~SPECIAL_BITS;
    }
    try {
      chown(uid, gid);
      return h.mode;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (!this.opts.rootless || (code !== 'EPERM' && code !== 'EINVAL')) throw err;
      // EINVAL: the id is not mapped in our user namespace, i.e. outside the user's ranges.
      (code === 'EINVAL' ? this.outside : this.refused).note(`${h.name} (uid ${h.uid}, gid ${h.gid})`);
      return h.mode & ~SPECIAL_BITS;
    }
  }

  warnings(): string[] {
    const out: string[] = [];
    if (this.outside.count) {
      out.push(`${this.outside.count} entries are owned by ids outside the id mapping (first: ${this.outside.first}): ` +
        'they belong to the extracting user instead, without setuid/setgid bits');
    }
    if (this.refused.count) {
      out.push(`${this.refused.count} entries could not be given their owner without root (first: ${this.refused.first}): ` +
        'they belong to the extracting user, without setuid/setgid bits; extract inside the user\'s namespace to keep ownership');
    }
    return out;
  }
}
