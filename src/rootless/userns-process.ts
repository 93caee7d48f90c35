// Running a program as root of a new user namespace that maps an ordinary user the way rootless
// podman does: the user's own id as 0, then its subordinate ranges from 1 on. Storage work happens
// there (chown to the image's ids, overlay mounts), where the kernel allows it without privilege.
// The child is started by the plan interpreter; this process writes its maps at the sync point
// through newuidmap/newgidmap.
import { userInfo } from 'node:os';
import type { IdMapping, Spec } from '../oci/spec.js';
import { applyIdMaps, planIdMaps } from '../runtime/id-maps.js';
import { runPlan } from '../runtime/plan/driver.js';
import { closeOtherFds } from '../runtime/plan/init.js';
import { CloneFlag, sys } from '../sys/native.js';
import { Op, type PlanOp } from '../sys/plan.js';
import { SUBGID_FILE, SUBUID_FILE, subordinateIds, type IdRange } from './subid.js';

export interface UserNamespaceMaps {
  uidMappings: IdMapping[];
  gidMappings: IdMapping[];
}

export class UserNamespaceError extends Error {
  override name = 'UserNamespaceError';
  readonly code = 'NO_SUBORDINATE_IDS';
  constructor(message: string, readonly file: string) {
    super(message);
  }
}

function fromOne(own: number, ranges: IdRange[]): IdMapping[] {
  const maps: IdMapping[] = [{ containerID: 0, hostID: own, size: 1 }];
  let next = 1;
  for (const r of ranges) {
    maps.push({ containerID: next, hostID: r.start, size: r.count });
    next += r.count;
  }
  return maps;
}

/** The current user's namespace maps; an error naming the file when it has no range there. */
export function userNamespaceMaps(user = { name: userInfo().username, uid: process.geteuid!(), gid: process.getegid!() }): UserNamespaceMaps {
  const maps: UserNamespaceMaps = { uidMappings: [], gidMappings: [] };
  for (const [file, own, key] of [[SUBUID_FILE, user.uid, 'uidMappings'], [SUBGID_FILE, user.gid, 'gidMappings']] as const) {
    const ranges = subordinateIds(file, { name: user.name, id: user.uid });
    if (!ranges?.length) {
      throw new UserNamespaceError(
        `${file} ${ranges ? `has no range for user ${user.name}` : 'does not exist'}: images need the user's subordinate ids ` +
          `(add one with usermod --add-sub${key === 'uidMappings' ? 'uids' : 'gids'} 100000-165535 ${user.name})`,
        file,
      );
    }
    maps[key] = fromOne(own, ranges);
  }
  return maps;
}

export interface UserNamespaceSpawn {
  path: string;
  argv: string[];
  env: string[];
  maps: UserNamespaceMaps;
  /** Also a mount namespace of its own (for overlay or FUSE mounts that vanish with the process). */
  mountNamespace?: boolean;
}

/** Starts the program (our child) and returns its pid once its maps are in place. */
export function spawnInUserNamespace(req: UserNamespaceSpawn): number {
  // The maps go through the same checks and writers as a container's.
  const spec: Spec = { ociVersion: '1.2.0', linux: { uidMappings: req.maps.uidMappings, gidMappings: req.maps.gidMappings } };
  const plan = planIdMaps(spec);
  const USERNS_SYNC = 1;
  const run = runPlan(
    (syncFd) => {
      const ops: PlanOp[] = [
        ...closeOtherFds(0, [syncFd]),
        [Op.UNSHARE, CloneFlag.NEWUSER],
        [Op.SYNC, USERNS_SYNC],
        [Op.SETRESGID, 0],
        [Op.SETRESUID, 0],
      ];
      if (req.mountNamespace) ops.push([Op.UNSHARE, CloneFlag.NEWNS]);
      ops.push([Op.EXEC, [req.path], req.argv, req.env]);
      return ops;
    },
    { onSync: (code, pid) => code === USERNS_SYNC && applyIdMaps(pid, spec, plan) },
    // The child becomes the program: it is reaped by whoever waits for it, not by runPlan.
    { reapFirst: false },
  );
  return run.firstPid;
}

/** Runs the program to its end; its exit status as a shell reports it. */
export async function runInUserNamespace(req: UserNamespaceSpawn): Promise<number> {
  const r = await sys().waitPid(spawnInUserNamespace(req));
  return r.exitCode ?? 128 + (r.signal ?? 0);
}
