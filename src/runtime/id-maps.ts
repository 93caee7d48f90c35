// How a new user namespace gets its uid and gid maps. Root writes /proc/PID/{uid,gid}_map itself.
// An ordinary user may write only one line mapping its own id (and, for gids, only after turning
// setgroups off); anything more goes through the setuid helpers newuidmap/newgidmap, which check
// the ranges in /etc/subuid and /etc/subgid. The choice and every check happen before the child is
// started, so a config the user cannot have fails with nothing made.
import { activeTracer } from '../trace/active.js';
import { writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import type { IdMapping, Spec } from '../oci/spec.js';
import { SUBGID_FILE, SUBUID_FILE, covered, subordinateIds } from '../rootless/subid.js';
import { childProcess } from '../sys/lazy.js';
import { RuntimeError, invalidConfig } from './errors.js';

export type MapMethod = 'write' | 'helper';

export interface IdMapPlan {
  uid: MapMethod;
  gid: MapMethod;
  /** setgroups(2) is turned off in the namespace (an unprivileged gid map needs it): no supplementary groups. */
  denySetgroups: boolean;
}

interface Kind {
  name: 'uid' | 'gid';
  file: string;
  helper: string;
  field: 'uidMappings' | 'gidMappings';
}

const UID: Kind = { name: 'uid', file: SUBUID_FILE, helper: 'newuidmap', field: 'uidMappings' };
const GID: Kind = { name: 'gid', file: SUBGID_FILE, helper: 'newgidmap', field: 'gidMappings' };

export interface Caller {
  euid: number;
  egid: number;
  user: string;
}

function currentCaller(): Caller {
  const euid = process.geteuid!();
  let user = String(euid);
  try {
    user = userInfo().username;
  } catch {
    // no passwd entry (inside another user namespace): the uid names the user in the subid files too
  }
  return { euid, egid: process.getegid!(), user };
}

function shown(maps: IdMapping[]): string {
  return maps.map((m) => `${m.containerID}:${m.hostID}:${m.size}`).join(', ');
}

function methodFor(kind: Kind, maps: IdMapping[], caller: Caller): MapMethod {
  if (caller.euid === 0) return 'write';
  const own = kind === UID ? caller.euid : caller.egid;
  if (maps.length === 1 && maps[0]!.size === 1 && maps[0]!.hostID === own) return 'write';
  // The helper maps the caller's own id without a range, and anything else only inside its ranges.
  // Both files name the owner by user name or uid (never by group).
  const ranges = subordinateIds(kind.file, { name: caller.user, id: caller.euid });
  const outside = maps.filter((m) => !(m.size === 1 && m.hostID === own) && !covered(ranges ?? [], m.hostID, m.size));
  if (outside.length) {
    const why = ranges === undefined
      ? `${kind.file} does not exist`
      : ranges.length === 0
        ? `${kind.file} has no range for user ${caller.user}`
        : `${kind.file} gives user ${caller.user} only ${ranges.map((r) => `${r.start}-${r.start + r.count - 1}`).join(', ')}`;
    throw new RuntimeError(
      'INVALID_CONFIG',
      `linux.${kind.field} ${shown(outside)} maps host ${kind.name}s that ${caller.user} (${kind.name} ${own}) does not own: ${why}; ` +
        `add a range (usermod --add-sub${kind.name}s START-END ${caller.user}) or map only your own ${kind.name}`,
    );
  }
  return 'helper';
}

/** Decides how the maps of `spec` will be written, and checks the caller may have them. */
export function planIdMaps(spec: Spec, caller: Caller = currentCaller()): IdMapPlan {
  const uidMaps = spec.linux?.uidMappings ?? [];
  const gidMaps = spec.linux?.gidMappings ?? [];
  const uid = methodFor(UID, uidMaps, caller);
  const gid = methodFor(GID, gidMaps, caller);
  const denySetgroups = caller.euid !== 0 && gid === 'write';
  if (denySetgroups && spec.process?.user.additionalGids?.length) {
    throw invalidConfig(
      `process.user.additionalGids needs setgroups, which an unprivileged user's own single gid mapping turns off: ` +
        `map more gids (through ranges in ${SUBGID_FILE}) or drop the additional groups`,
    );
  }
  return { uid, gid, denySetgroups };
}

function mapText(maps: IdMapping[]): string {
  return maps.map((m) => `${m.containerID} ${m.hostID} ${m.size}\n`).join('');
}

function runHelper(kind: Kind, pid: number, maps: IdMapping[]): void {
  const args = [String(pid), ...maps.flatMap((m) => [String(m.containerID), String(m.hostID), String(m.size)])];
  const r = childProcess().spawnSync(kind.helper, args, { encoding: 'utf8', stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.error) {
    const missing = (r.error as NodeJS.ErrnoException).code === 'ENOENT';
    throw new RuntimeError('SETUP_FAILED', missing
      ? `${kind.helper} not found: mapping more than your own ${kind.name} needs it (Debian's uidmap package)`
      : `${kind.helper}: ${r.error.message}`, undefined, { cause: r.error });
  }
  if (r.status !== 0) {
    throw new RuntimeError('SETUP_FAILED', `${kind.helper} ${args.join(' ')} failed: ${r.stderr.trim() || `exit status ${r.status}`}`);
  }
}

function apply(kind: Kind, method: MapMethod, pid: number, maps: IdMapping[]): void {
  const text = mapText(maps);
  const what = () => `/proc/${pid}/${kind.name}_map = ${text.trim().replace(/\n/g, '; ')}${method === 'helper' ? ` (by ${kind.helper})` : ''}`;
  activeTracer().span('namespace', 'write', what, () => (method === 'helper' ? runHelper(kind, pid, maps) : writeFileSync(`/proc/${pid}/${kind.name}_map`, text)));
}

/** Writes the maps of the process `pid` (just unshared its user namespace) as `plan` decided. */
export function applyIdMaps(pid: number, spec: Spec, plan: IdMapPlan): void {
  apply(UID, plan.uid, pid, spec.linux?.uidMappings ?? []);
  if (plan.denySetgroups) writeFileSync(`/proc/${pid}/setgroups`, 'deny');
  apply(GID, plan.gid, pid, spec.linux?.gidMappings ?? []);
}
