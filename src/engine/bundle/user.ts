// `-u name[:group]` resolved the way docker does: names through the image's /etc/passwd and
// /etc/group (read from the mounted rootfs, never following links out of it), numbers as given.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { User } from '../../oci/spec.js';
import { EngineError } from '../errors.js';

interface PasswdEntry { name: string; uid: number; gid: number; home: string }
interface GroupEntry { name: string; gid: number; members: string[] }

function readLines(rootfs: string, file: string): string[][] {
  try {
    return readFileSync(join(rootfs, file), 'utf8').split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
  } catch {
    return [];
  }
}

export function parsePasswd(rootfs: string): PasswdEntry[] {
  return readLines(rootfs, 'etc/passwd').filter((f) => f.length >= 4).map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5] ?? '/' }));
}

export function parseGroup(rootfs: string): GroupEntry[] {
  return readLines(rootfs, 'etc/group').filter((f) => f.length >= 3).map((f) => ({ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

const NUMERIC = /^\d+$/;

export interface ResolvedUser {
  user: User;
  home: string;
}

/** `spec` is "", "name", "uid", "name:group", "uid:gid", …; "" means root. */
export function resolveUser(rootfs: string, spec: string): ResolvedUser {
  const [userPart = '', groupPart] = spec.split(':');
  const passwd = parsePasswd(rootfs);
  const groups = parseGroup(rootfs);
  let uid = 0;
  let gid = 0;
  let home = '/';
  let name: string | undefined;
  if (userPart === '' || NUMERIC.test(userPart)) {
    uid = userPart === '' ? 0 : Number(userPart);
    const entry = passwd.find((p) => p.uid === uid);
    if (entry) ({ gid, home, name } = entry);
  } else {
    const entry = passwd.find((p) => p.name === userPart);
    if (!entry) throw new EngineError('NO_SUCH_USER', `unable to find user ${userPart}: no matching entries in passwd file`, userPart);
    ({ uid, gid, home, name } = entry);
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (NUMERIC.test(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) throw new EngineError('NO_SUCH_USER', `unable to find group ${groupPart}: no matching entries in group file`, groupPart);
      gid = g.gid;
    }
  }
  // supplementary groups are the user's memberships, only when no group was given explicitly
  const additionalGids = groupPart === undefined && name ? groups.filter((g) => g.members.includes(name!) && g.gid !== gid).map((g) => g.gid) : [];
  return { user: { uid, gid, ...(additionalGids.length ? { additionalGids } : {}) }, home };
}
