// The container's mounts: what the user asked for (-v, --mount, --tmpfs) and the image's declared
// volumes, resolved to host sources (named and anonymous volumes are created here), in OCI form.
import { existsSync, mkdirSync } from 'node:fs';
import type { Mount } from '../../oci/spec.js';
import type { HostConfig, MountPoint } from '../config/types.js';
import { EngineError } from '../errors.js';
import type { VolumeStore } from '../store/volumes.js';

/**
 * Refuses what docker refuses before anything is made: two mounts on one target, and a
 * `--mount type=bind` whose source does not exist (`-v` creates it instead).
 */
export function checkMountRequests(host: Pick<HostConfig, 'Mounts' | 'Tmpfs'>, exists: (path: string) => boolean = existsSync): void {
  const taken = new Set<string>();
  for (const target of [...host.Mounts.map((m) => m.Target), ...Object.keys(host.Tmpfs)]) {
    if (taken.has(target)) throw new EngineError('INVALID_OPTION', `Duplicate mount point: ${target}`, target);
    taken.add(target);
  }
  for (const m of host.Mounts) {
    if (m.Type === 'bind' && !m.CreateMountpoint && !exists(m.Source)) {
      throw new EngineError('INVALID_OPTION', `invalid mount config for type "bind": bind source path does not exist: ${m.Source}`, m.Source);
    }
  }
}

/** Resolves the mount requests once, at create: volumes exist afterwards and are recorded by name. */
export function resolveMountPoints(host: HostConfig, imageVolumes: Record<string, object> | null, volumes: VolumeStore): MountPoint[] {
  checkMountRequests(host);
  const points: MountPoint[] = [];
  const taken = new Set<string>();
  for (const m of host.Mounts) {
    taken.add(m.Target);
    const propagation = m.Options.find((o) => /private|shared|slave/.test(o)) ?? (m.Type === 'bind' ? 'rprivate' : '');
    if (m.Type === 'bind') {
      if (m.CreateMountpoint && !existsSync(m.Source)) mkdirSync(m.Source, { recursive: true }); // docker's -v creates a missing host dir
      points.push({ Type: 'bind', Source: m.Source, Destination: m.Target, Mode: m.ReadOnly ? 'ro' : '', RW: !m.ReadOnly, Propagation: propagation });
    } else if (m.Type === 'volume') {
      const vol = volumes.ensure(m.Source || undefined);
      points.push({ Type: 'volume', Name: vol.Name, Source: vol.Mountpoint, Destination: m.Target, Driver: 'local', Mode: m.ReadOnly ? 'ro' : 'z', RW: !m.ReadOnly, Propagation: '' });
    } else {
      points.push({ Type: 'tmpfs', Source: '', Destination: m.Target, Mode: m.Options.join(','), RW: !m.ReadOnly, Propagation: '' });
    }
  }
  for (const [target, opts] of Object.entries(host.Tmpfs)) {
    taken.add(target);
    points.push({ Type: 'tmpfs', Source: '', Destination: target, Mode: opts, RW: true, Propagation: '' });
  }
  for (const target of Object.keys(imageVolumes ?? {})) {
    if (taken.has(target)) continue;
    const vol = volumes.ensure(undefined);
    points.push({ Type: 'volume', Name: vol.Name, Source: vol.Mountpoint, Destination: target, Driver: 'local', Mode: '', RW: true, Propagation: '' });
  }
  return points;
}

export function ociMounts(points: MountPoint[]): Mount[] {
  return points.map((p): Mount => {
    if (p.Type === 'tmpfs') {
      const opts = p.Mode ? p.Mode.split(',').filter(Boolean) : [];
      return { destination: p.Destination, type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'nodev', 'noexec', ...opts, ...(p.RW ? [] : ['ro'])] };
    }
    return { destination: p.Destination, type: 'bind', source: p.Source, options: ['rbind', p.Propagation || 'rprivate', p.RW ? 'rw' : 'ro'] };
  });
}

/**
 * The network's /etc files, bind-mounted from the container's directory. They are plain text:
 * nosuid, nodev and noexec keep a writable one from becoming a program or a device node.
 */
export function etcMounts(files: { hosts: string; hostname: string; resolvConf: string }, readOnly: boolean): Mount[] {
  const options = ['rbind', 'rprivate', 'nosuid', 'nodev', 'noexec', readOnly ? 'ro' : 'rw'];
  return [
    { destination: '/etc/resolv.conf', type: 'bind', source: files.resolvConf, options },
    { destination: '/etc/hostname', type: 'bind', source: files.hostname, options },
    { destination: '/etc/hosts', type: 'bind', source: files.hosts, options },
  ];
}
