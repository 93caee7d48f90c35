// The mount half of the init plan: propagation, the rootfs mount point, spec mounts, /dev, the
// cgroup filesystem, pivot_root, and the read-only and masked paths.
import { statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Device, Mount, Spec } from '../../oci/spec.js';
import { MountFlag as F } from '../../sys/native.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { invalidConfig } from '../errors.js';
import { BIND_REMOUNT_FLAGS, parseMountOptions, rootPropagation } from '../mount-options.js';
import type { HostCgroupMount } from './cgroup-mounts.js';
import { components, ensurePath } from './paths.js';

const S_IFCHR = 0o020000;
const S_IFBLK = 0o060000;
const S_IFIFO = 0o010000;

export const DEFAULT_DEVICES: Device[] = [
  { type: 'c', path: '/dev/null', major: 1, minor: 3, fileMode: 0o666 },
  { type: 'c', path: '/dev/zero', major: 1, minor: 5, fileMode: 0o666 },
  { type: 'c', path: '/dev/full', major: 1, minor: 7, fileMode: 0o666 },
  { type: 'c', path: '/dev/random', major: 1, minor: 8, fileMode: 0o666 },
  { type: 'c', path: '/dev/urandom', major: 1, minor: 9, fileMode: 0o666 },
  { type: 'c', path: '/dev/tty', major: 5, minor: 0, fileMode: 0o666 },
];

const DEV_LINKS: [string, string][] = [
  ['fd', '/proc/self/fd'],
  ['stdin', '/proc/self/fd/0'],
  ['stdout', '/proc/self/fd/1'],
  ['stderr', '/proc/self/fd/2'],
];

export interface RootfsPlanInput {
  spec: Spec;
  bundle: string;
  rootfs: string;
  rootFd: number;
  /** Devices are bind-mounted, not created: the container has a user namespace, or the runtime runs rootless. */
  bindDevices: boolean;
  newCgroupNs: boolean;
  cgroupPath: string;
  hostCgroups: HostCgroupMount[];
  noPivot: boolean;
}

export function mountSetupOps(input: RootfsPlanInput): PlanOp[] {
  const { spec, rootfs, rootFd } = input;
  const ops: PlanOp[] = [];
  // Nothing we mount may propagate back to the host; pivot_root also refuses shared parents.
  ops.push([Op.MOUNT_PROPAGATION, '/', F.SLAVE | F.REC]);
  ops.push([Op.BIND_ROOTFS, rootfs]);
  ops.push([Op.MOUNT_PROPAGATION, rootfs, F.PRIVATE]);
  ops.push([Op.OPEN_ROOT, rootfs, rootFd]);
  for (const m of spec.mounts ?? []) ops.push(...mountOps(m, input));
  if (!hasBindDev(spec.mounts)) ops.push(...deviceOps(input));
  else ops.push(...extraDeviceOps(input));
  return ops;
}

export function pivotOps(input: RootfsPlanInput): PlanOp[] {
  let propagation: number;
  try {
    propagation = rootPropagation(input.spec.linux?.rootfsPropagation);
  } catch (e) {
    throw invalidConfig((e as Error).message);
  }
  const ops: PlanOp[] = [input.noPivot ? [Op.MOVE_ROOT, input.rootfs] : [Op.PIVOT_ROOT, input.rootfs]];
  // The rootfs mount was made private for pivot_root; now give it the propagation asked for.
  ops.push([Op.MOUNT_PROPAGATION, '/', propagation]);
  return ops;
}

export function hardeningOps(spec: Spec): PlanOp[] {
  const ops: PlanOp[] = [];
  if (spec.root?.readonly) ops.push([Op.MOUNT, '', '/', '', F.BIND | F.REMOUNT | F.RDONLY, '']);
  for (const [key, value] of Object.entries(spec.linux?.sysctl ?? {})) {
    ops.push([Op.WRITE_FILE, `/proc/sys/${key.replace(/\./g, '/')}`, value]);
  }
  for (const p of spec.linux?.maskedPaths ?? []) ops.push([Op.MASK_PATH, p]);
  for (const p of spec.linux?.readonlyPaths ?? []) ops.push([Op.READONLY_PATH, p]);
  return ops;
}

function hasBindDev(mounts: Mount[] | undefined): boolean {
  return (mounts ?? []).some((m) => components(m.destination).join('/') === 'dev' && parseMountOptions(m.options).isBind);
}

function mountOps(m: Mount, input: RootfsPlanInput): PlanOp[] {
  if (!m.destination || !isAbsolute(m.destination)) throw invalidConfig(`mount destination "${m.destination}" must be an absolute path`);
  const opts = parseMountOptions(m.options);
  const type = m.type ?? (opts.isBind ? 'bind' : '');
  if (type === 'cgroup' || type === 'cgroup2') return cgroupMountOps(m, opts.flags, input);
  const parts = components(m.destination);
  const rel = parts.join('/');
  const ops: PlanOp[] = [];
  if (opts.isBind) {
    const source = isAbsolute(m.source ?? '') ? m.source! : join(input.bundle, m.source ?? '');
    let isDir: boolean;
    try {
      isDir = statSync(source).isDirectory();
    } catch (e) {
      throw invalidConfig(`bind mount source "${source}" for ${m.destination}: ${(e as NodeJS.ErrnoException).code ?? e}`);
    }
    ops.push(...ensurePath(input.rootFd, parts, isDir ? 'dir' : 'file'));
    ops.push([Op.MOUNT_AT, input.rootFd, rel, source, '', opts.flags & (F.BIND | F.REC), '']);
    // A bind mount ignores most flags until it is remounted.
    const remount = opts.flags & BIND_REMOUNT_FLAGS;
    if (remount) ops.push([Op.MOUNT_AT, input.rootFd, rel, '', '', F.BIND | F.REMOUNT | remount, '']);
  } else {
    if (!type) throw invalidConfig(`mount ${m.destination} has no type`);
    ops.push(...ensurePath(input.rootFd, parts, 'dir'));
    ops.push([Op.MOUNT_AT, input.rootFd, rel, m.source ?? type, type, opts.flags, opts.data]);
  }
  for (const p of opts.propagation) ops.push([Op.MOUNT_AT, input.rootFd, rel, '', '', p, '']);
  return ops;
}

/**
 * The cgroup filesystem as the container sees it. With a cgroup namespace each hierarchy is
 * mounted fresh (the kernel shows the namespace's root); without one, the container's own cgroup
 * directories are bind-mounted, so the host's tree stays hidden.
 */
function cgroupMountOps(m: Mount, flags: number, input: RootfsPlanInput): PlanOp[] {
  const parts = components(m.destination);
  const rel = parts.join('/');
  const ro = flags & F.RDONLY;
  const base = flags & (F.NOSUID | F.NODEV | F.NOEXEC | F.RELATIME);
  const ops: PlanOp[] = [...ensurePath(input.rootFd, parts, 'dir')];
  const unified = input.hostCgroups.find((c) => c.version === 2 && c.mountPoint === '/sys/fs/cgroup');
  if (unified) {
    if (input.newCgroupNs) ops.push([Op.MOUNT_AT, input.rootFd, rel, 'cgroup2', 'cgroup2', base | ro, '']);
    else ops.push(...bindCgroupDir(input, rel, join(unified.mountPoint, input.cgroupPath), ro));
    return ops;
  }
  ops.push([Op.MOUNT_AT, input.rootFd, rel, 'tmpfs', 'tmpfs', F.NOSUID | F.NODEV | F.NOEXEC, 'mode=755']);
  // Without a cgroup namespace only the container's own directories are shown: the hybrid layout's
  // controller-less cgroup2 mount holds none of them (the v1 driver manages v1 hierarchies only).
  const shown = input.newCgroupNs ? input.hostCgroups : input.hostCgroups.filter((c) => c.version === 1);
  for (const c of shown) {
    const name = c.mountPoint.split('/').pop()!;
    const sub = `${rel}/${name}`;
    ops.push([Op.MKDIR_AT, input.rootFd, rel, name, 0o755]);
    if (input.newCgroupNs) {
      ops.push([Op.MOUNT_AT, input.rootFd, sub, 'cgroup', c.version === 2 ? 'cgroup2' : 'cgroup', base | ro, c.version === 2 ? '' : c.options]);
    } else {
      ops.push(...bindCgroupDir(input, sub, join(c.mountPoint, input.cgroupPath), ro));
    }
  }
  if (ro) ops.push([Op.MOUNT_AT, input.rootFd, rel, '', '', F.REMOUNT | F.RDONLY | F.NOSUID | F.NODEV | F.NOEXEC, 'mode=755']);
  return ops;
}

function bindCgroupDir(input: RootfsPlanInput, rel: string, hostDir: string, ro: number): PlanOp[] {
  const ops: PlanOp[] = [[Op.MOUNT_AT, input.rootFd, rel, hostDir, '', F.BIND | F.REC, '']];
  ops.push([Op.MOUNT_AT, input.rootFd, rel, '', '', F.BIND | F.REMOUNT | F.NOSUID | F.NODEV | F.NOEXEC | ro, '']);
  return ops;
}

function deviceOps(input: RootfsPlanInput): PlanOp[] {
  const ops: PlanOp[] = [...ensurePath(input.rootFd, ['dev'], 'dir')];
  const extra = input.spec.linux?.devices ?? [];
  const devices = [...DEFAULT_DEVICES.filter((d) => !extra.some((e) => e.path === d.path)), ...extra];
  for (const d of devices) ops.push(...oneDevice(d, input));
  for (const [name, target] of DEV_LINKS) ops.push([Op.SYMLINK_AT, input.rootFd, 'dev', name, target]);
  const hasDevpts = (input.spec.mounts ?? []).some((m) => components(m.destination).join('/') === 'dev/pts');
  if (hasDevpts) ops.push([Op.SYMLINK_AT, input.rootFd, 'dev', 'ptmx', 'pts/ptmx']);
  return ops;
}

function extraDeviceOps(input: RootfsPlanInput): PlanOp[] {
  return (input.spec.linux?.devices ?? []).flatMap((d) => oneDevice(d, input));
}

const DEVICE_TYPES: Record<Device['type'], number> = { c: S_IFCHR, u: S_IFCHR, b: S_IFBLK, p: S_IFIFO };

function oneDevice(d: Device, input: RootfsPlanInput): PlanOp[] {
  const parts = components(d.path);
  if (parts[0] !== 'dev' || parts.length < 2) throw invalidConfig(`device path "${d.path}" must be under /dev`);
  const typeBits = DEVICE_TYPES[d.type];
  if (typeBits === undefined) throw invalidConfig(`device ${d.path} has unknown type "${d.type}"`);
  if (d.type !== 'p' && (d.major === undefined || d.minor === undefined)) throw invalidConfig(`device ${d.path} needs major and minor numbers`);
  const parent = parts.slice(0, -1).join('/');
  const name = parts[parts.length - 1]!;
  const ops: PlanOp[] = [...ensurePath(input.rootFd, parts.slice(0, -1), 'dir')];
  // In a user namespace mknod is not allowed: bind the host's node instead, as runc does.
  if (input.bindDevices) {
    ops.push([Op.MKFILE_AT, input.rootFd, parent, name, 0o644]);
    ops.push([Op.MOUNT_AT, input.rootFd, parts.join('/'), d.path, '', F.BIND, '']);
    return ops;
  }
  const mode = typeBits | ((d.fileMode ?? 0o666) & 0o7777);
  ops.push([Op.MKNOD_AT, input.rootFd, parent, name, mode, d.major ?? 0, d.minor ?? 0, d.uid ?? 0, d.gid ?? 0]);
  return ops;
}
