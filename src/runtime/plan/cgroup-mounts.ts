// The host's cgroup hierarchies, read from mountinfo, for building the container's /sys/fs/cgroup.
import { readFileSync } from 'node:fs';

export interface HostCgroupMount {
  version: 1 | 2;
  mountPoint: string;
  /** v1 super options naming the hierarchy: "cpu", "cpu,cpuacct", "name=systemd". */
  options: string;
}

export function hostCgroupMounts(mountinfo = readFileSync('/proc/self/mountinfo', 'utf8')): HostCgroupMount[] {
  const out: HostCgroupMount[] = [];
  for (const line of mountinfo.split('\n')) {
    const [left, right] = line.split(' - ');
    if (!left || !right) continue;
    const [fstype, , superOpts] = right.split(' ');
    if (fstype !== 'cgroup' && fstype !== 'cgroup2') continue;
    const mountPoint = left.split(' ')[4]!;
    const options = fstype === 'cgroup' ? (superOpts ?? '').split(',').filter((o) => o !== 'rw' && o !== 'ro' && !o.startsWith('release_agent') && o !== 'clone_children').join(',') : '';
    out.push({ version: fstype === 'cgroup' ? 1 : 2, mountPoint, options });
  }
  return out;
}
