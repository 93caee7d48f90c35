// Running a program as root of a new user namespace that maps an ordinary user the way rootless
// podman does: the user's own id as 0, then its subordinate ranges from 1 on. Storage work happens
// there (chown to the image's ids, overlay mounts), where the kernel allows it without privilege.
// The child is started by the plan interpreter; this process writes its maps at the sync point
// through newuidmap/newgidmap.
import type { Spec } from '../oci/spec.js';
import { applyIdMaps, planIdMaps } from '../runtime/id-maps.js';
import { runPlan } from '../runtime/plan/driver.js';
import { closeOtherFds } from '../runtime/plan/init.js';
import { CloneFlag, sys } from '../sys/native.js';
import { Op, type PlanOp } from '../sys/plan.js';
import type { UserNamespaceMaps } from './mappings.js';

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
