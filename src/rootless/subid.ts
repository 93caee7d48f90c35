// The subordinate id ranges a user was given in /etc/subuid and /etc/subgid (shadow's format:
// "name-or-uid:start:count" per line), read for checks and error messages; the kernel is told
// about them only by the setuid helpers newuidmap and newgidmap, which read the same files.
import { readFileSync } from 'node:fs';

export const SUBUID_FILE = '/etc/subuid';
export const SUBGID_FILE = '/etc/subgid';

export interface IdRange {
  start: number;
  count: number;
}

/** The ranges of the user (by name or numeric id) in `text`, in file order. */
export function parseSubordinateIds(text: string, user: { name: string; id: number }): IdRange[] {
  const out: IdRange[] = [];
  for (const line of text.split('\n')) {
    const [owner, start, count] = line.trim().split(':');
    if (owner !== user.name && owner !== String(user.id)) continue;
    const s = Number(start);
    const c = Number(count);
    if (Number.isInteger(s) && Number.isInteger(c) && s >= 0 && c > 0) out.push({ start: s, count: c });
  }
  return out;
}

/** The user's ranges in `file`; undefined when the file itself does not exist. */
export function subordinateIds(file: string, user: { name: string; id: number }): IdRange[] | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  return parseSubordinateIds(text, user);
}

/** True when [start, start+count) lies inside one of `ranges`. */
export function covered(ranges: IdRange[], start: number, count: number): boolean {
  return ranges.some((r) => start >= r.start && start + count <= r.start + r.count);
}
