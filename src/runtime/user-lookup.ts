// `-u name[:group]` resolved the way docker does: names through the container's /etc/passwd and
// /etc/group, numbers as given. Shared by the engine (`vessel run -u`, `vessel exec -u`) and the
// runtime (`vessel-runtime exec -u`). The lookup is pure; the files are read inside the root with
// openat2(RESOLVE_IN_ROOT), so a symlinked /etc/passwd in an image cannot name a host file.
import { closeSync, constants, openSync, readFileSync } from 'node:fs';
import type { User } from '../oci/spec.js';
import { inRootSys, OpenFlag } from '../sys/inroot.js';

export interface PasswdEntry { name: string; uid: number; gid: number; home: string }
export interface GroupEntry { name: string; gid: number; members: string[] }

function fields(text: string): string[][] {
  return text.split('\n').filter((l) => l && !l.startsWith('#')).map((l) => l.split(':'));
}

export function parsePasswd(text: string): PasswdEntry[] {
  return fields(text).filter((f) => f.length >= 4).map((f) => ({ name: f[0]!, uid: Number(f[2]), gid: Number(f[3]), home: f[5] || '/' }));
}

export function parseGroup(text: string): GroupEntry[] {
  return fields(text).filter((f) => f.length >= 3).map((f) => ({ name: f[0]!, gid: Number(f[2]), members: (f[3] ?? '').split(',').filter(Boolean) }));
}

export type UserLookup =
  | { ok: true; user: User; home: string }
  /** `message` is docker's ("unable to find user NAME: no matching entries in passwd file") */
  | { ok: false; name: string; message: string };

const NUMERIC = /^\d+$/;

/** `spec` is "", "name", "uid", "name:group", "uid:gid", …; "" means root. */
export function lookupUser(spec: string, files: { passwd: string; group: string }): UserLookup {
  const [userPart = '', groupPart] = spec.split(':');
  const passwd = parsePasswd(files.passwd);
  const groups = parseGroup(files.group);
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
    if (!entry) return { ok: false, name: userPart, message: `unable to find user ${userPart}: no matching entries in passwd file` };
    ({ uid, gid, home, name } = entry);
  }
  if (groupPart !== undefined && groupPart !== '') {
    if (NUMERIC.test(groupPart)) gid = Number(groupPart);
    else {
      const g = groups.find((x) => x.name === groupPart);
      if (!g) return { ok: false, name: groupPart, message: `unable to find group ${groupPart}: no matching entries in group file` };
      gid = g.gid;
    }
  }
  // supplementary groups are the user's memberships, only when no group was given explicitly
  const additionalGids = groupPart === undefined && name ? groups.filter((g) => g.members.includes(name!) && g.gid !== gid).map((g) => g.gid) : [];
  return { ok: true, user: { uid, gid, ...(additionalGids.length ? { additionalGids } : {}) }, home };
}

/** A file of the tree rooted at `root` as that tree sees it, or '' when it is missing or unreadable. */
export function readInRoot(root: string, path: string): string {
  let rootFd: number | undefined;
  let fd: number | undefined;
  try {
    rootFd = openSync(root, OpenFlag.PATH | constants.O_DIRECTORY);
    fd = inRootSys().openInRoot(rootFd, path, constants.O_RDONLY);
    return readFileSync(fd, 'utf8');
  } catch {
    return '';
  } finally {
    for (const f of [fd, rootFd]) if (f !== undefined) closeSync(f);
  }
}

/** The passwd and group files of the tree at `root` (a rootfs, or /proc/PID/root of a running container). */
export function userFiles(root: string): { passwd: string; group: string } {
  return { passwd: readInRoot(root, '/etc/passwd'), group: readInRoot(root, '/etc/group') };
}
