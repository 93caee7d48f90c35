// The id maps of a rootless user namespace, from the user's own ids and its subordinate ranges.
// "root" (podman's default): the user is the container's root, its ranges follow from id 1.
// "keep-id" (podman's --userns keep-id): the user keeps its own uid and gid inside, its ranges
// fill the ids below and above. Either way no container id maps to a host id the user does not own.
import { VesselError } from '../vessel-error.js';
import { userInfo } from 'node:os';
import type { IdMapping } from '../oci/spec.js';
import { SUBGID_FILE, SUBUID_FILE, subordinateIds, type IdRange } from './subid.js';

export interface UserNamespaceMaps {
  uidMappings: IdMapping[];
  gidMappings: IdMapping[];
}

export type UserNamespaceMode = 'root' | 'keep-id';

export class UserNamespaceError extends VesselError {
  override name = 'UserNamespaceError';
  readonly code = 'NO_SUBORDINATE_IDS';
  constructor(message: string, readonly file: string) {
    super(message, { status: 'system', object: file });
  }
}

/**
 * Container ids from 0 upwards over the ranges, in order, with the user's own id at container id
 * `ownAt` (splitting the range that would cover it, or after all of them).
 */
export function mapsFor(own: number, ownAt: number, ranges: IdRange[]): IdMapping[] {
  const maps: IdMapping[] = [];
  let next = 0;
  let placed = false;
  for (const r of ranges) {
    if (!placed && ownAt >= next && ownAt < next + r.count) {
      const below = ownAt - next;
      if (below > 0) maps.push({ containerID: next, hostID: r.start, size: below });
      maps.push({ containerID: ownAt, hostID: own, size: 1 });
      placed = true;
      next = ownAt + 1;
      maps.push({ containerID: next, hostID: r.start + below, size: r.count - below });
      next += r.count - below;
    } else {
      maps.push({ containerID: next, hostID: r.start, size: r.count });
      next += r.count;
    }
  }
  if (!placed) maps.push({ containerID: ownAt, hostID: own, size: 1 });
  return maps;
}

export interface RootlessUser {
  name: string;
  uid: number;
  gid: number;
}

function currentUser(): RootlessUser {
  return { name: userInfo().username, uid: process.geteuid!(), gid: process.getegid!() };
}

/** The maps for `mode`; an error naming the file when the user has no range in it. */
export function userNamespaceMaps(mode: UserNamespaceMode = 'root', user: RootlessUser = currentUser()): UserNamespaceMaps {
  const maps: UserNamespaceMaps = { uidMappings: [], gidMappings: [] };
  for (const [file, own, key] of [[SUBUID_FILE, user.uid, 'uidMappings'], [SUBGID_FILE, user.gid, 'gidMappings']] as const) {
    // Both files name the owner by user name or uid (never by group).
    const ranges = subordinateIds(file, { name: user.name, id: user.uid });
    if (!ranges?.length) {
      throw new UserNamespaceError(
        `${file} ${ranges ? `has no range for user ${user.name}` : 'does not exist'}: a rootless container needs the user's subordinate ids ` +
          `(add one with usermod --add-sub${key === 'uidMappings' ? 'uids' : 'gids'} 100000-165535 ${user.name})`,
        file,
      );
    }
    maps[key] = mapsFor(own, mode === 'keep-id' ? own : 0, ranges);
  }
  return maps;
}
