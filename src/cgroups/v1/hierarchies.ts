// The cgroup v1 hierarchies mounted on this host, read once from /proc/self/mountinfo.
import { readFileSync } from 'node:fs';

export interface Hierarchy {
  mountpoint: string;
  /** subsystems bound to it ("cpu", "memory"…), plus "name=systemd" style names */
  subsystems: string[];
}

// super options of a v1 cgroup mount that are not subsystems
const MOUNT_OPTIONS = new Set(['rw', 'ro', 'noprefix', 'clone_children', 'xattr', 'cpuset_v2_mode', 'favordynmods', 'none']);

// mountinfo escapes spaces and the like as octal
function unescape(field: string): string {
  return field.replace(/\\([0-7]{3})/g, (_, oct: string) => String.fromCharCode(parseInt(oct, 8)));
}

export function parseV1Hierarchies(mountinfo: string): Hierarchy[] {
  const seen = new Set<string>();
  const out: Hierarchy[] = [];
  for (const line of mountinfo.split('\n')) {
    const sep = line.indexOf(' - ');
    if (sep < 0) continue;
    const [fstype, , superOptions = ''] = line.slice(sep + 3).split(' ');
    if (fstype !== 'cgroup') continue;
    const mountpoint = unescape(line.slice(0, sep).split(' ')[4] ?? '');
    const subsystems = superOptions.split(',').filter((o) => !MOUNT_OPTIONS.has(o) && !o.startsWith('release_agent='));
    const key = subsystems.join(',');
    // a hierarchy mounted twice is one hierarchy: keep its first mountpoint
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ mountpoint, subsystems });
  }
  return out;
}

let cached: Hierarchy[] | undefined;

export function v1Hierarchies(): Hierarchy[] {
  cached ??= parseV1Hierarchies(readFileSync('/proc/self/mountinfo', 'utf8'));
  return cached;
}
