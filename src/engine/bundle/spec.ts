// The OCI spec for a container: docker's defaults (mounts, masked and read-only paths, capabilities,
// seccomp) with the container's Config and HostConfig applied.
import { readFileSync } from 'node:fs';
import type { LinuxMemory, LinuxResources, LinuxSeccomp, Mount, Rlimit, Spec } from '../../oci/spec.js';
import { CAPABILITIES, DEFAULT_CAPABILITIES } from '../../runtime/capabilities.js';
import { defaultSeccompProfile } from '../../seccomp/index.js';
import type { ContainerConfig, HostConfig } from '../config/types.js';
import { EngineError } from '../errors.js';
import { CGROUP_PARENT } from '../paths.js';
import type { ResolvedUser } from './user.js';

export const INIT_PATH = '/sbin/docker-init';

const MASKED_PATHS = [
  '/proc/asound', '/proc/acpi', '/proc/kcore', '/proc/keys', '/proc/latency_stats', '/proc/timer_list', '/proc/timer_stats',
  '/proc/sched_debug', '/proc/scsi', '/sys/firmware', '/sys/devices/virtual/powercap',
];
const READONLY_PATHS = ['/proc/bus', '/proc/fs', '/proc/irq', '/proc/sys', '/proc/sysrq-trigger'];

function defaultMounts(privileged: boolean): Mount[] {
  const ro = privileged ? [] : ['ro'];
  return [
    { destination: '/proc', type: 'proc', source: 'proc', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev', type: 'tmpfs', source: 'tmpfs', options: ['nosuid', 'strictatime', 'mode=755', 'size=65536k'] },
    { destination: '/dev/pts', type: 'devpts', source: 'devpts', options: ['nosuid', 'noexec', 'newinstance', 'ptmxmode=0666', 'mode=0620', 'gid=5'] },
    { destination: '/sys', type: 'sysfs', source: 'sysfs', options: ['nosuid', 'noexec', 'nodev', ...ro] },
    { destination: '/sys/fs/cgroup', type: 'cgroup', source: 'cgroup', options: ['nosuid', 'noexec', 'nodev', 'relatime', ...ro] },
    { destination: '/dev/mqueue', type: 'mqueue', source: 'mqueue', options: ['nosuid', 'noexec', 'nodev'] },
    { destination: '/dev/shm', type: 'tmpfs', source: 'shm', options: ['nosuid', 'noexec', 'nodev', 'mode=1777', 'size=65536k'] },
  ];
}

export const RLIMITS: Record<string, string> = {
  core: 'RLIMIT_CORE', cpu: 'RLIMIT_CPU', data: 'RLIMIT_DATA', fsize: 'RLIMIT_FSIZE', locks: 'RLIMIT_LOCKS',
  memlock: 'RLIMIT_MEMLOCK', msgqueue: 'RLIMIT_MSGQUEUE', nice: 'RLIMIT_NICE', nofile: 'RLIMIT_NOFILE', nproc: 'RLIMIT_NPROC',
  rss: 'RLIMIT_RSS', rtprio: 'RLIMIT_RTPRIO', rttime: 'RLIMIT_RTTIME', sigpending: 'RLIMIT_SIGPENDING', stack: 'RLIMIT_STACK',
  as: 'RLIMIT_AS',
};

function capName(c: string): string {
  const up = c.toUpperCase();
  return up.startsWith('CAP_') ? up : `CAP_${up}`;
}

/** docker's rule: ALL in --cap-add gives everything, ALL in --cap-drop starts from nothing. */
export function effectiveCapabilities(host: Pick<HostConfig, 'CapAdd' | 'CapDrop' | 'Privileged'>): string[] {
  if (host.Privileged) return [...CAPABILITIES];
  const add = host.CapAdd.map(capName);
  const drop = host.CapDrop.map(capName);
  const base = add.includes('CAP_ALL') ? [...CAPABILITIES] : drop.includes('CAP_ALL') ? [] : [...DEFAULT_CAPABILITIES];
  for (const c of add) if (c !== 'CAP_ALL' && !CAPABILITIES.includes(c)) throw new EngineError('INVALID_OPTION', `unknown capability: "${c}"`, c);
  const caps = new Set([...base, ...add.filter((c) => c !== 'CAP_ALL')]);
  for (const c of drop) caps.delete(c);
  return [...caps];
}

function securityOptions(host: HostConfig, caps: string[]): { seccomp?: LinuxSeccomp; noNewPrivileges: boolean } {
  let seccomp: LinuxSeccomp | undefined = host.Privileged ? undefined : defaultSeccompProfile(caps);
  let noNewPrivileges = false;
  for (const opt of host.SecurityOpt) {
    const [key, value = ''] = opt.includes('=') ? [opt.slice(0, opt.indexOf('=')), opt.slice(opt.indexOf('=') + 1)] : opt.split(':');
    if (key === 'no-new-privileges') noNewPrivileges = value === '' || value === 'true';
    else if (key === 'seccomp') seccomp = value === 'unconfined' ? undefined : (JSON.parse(readFileSync(value, 'utf8')) as LinuxSeccomp);
    else if (key !== 'label' && key !== 'apparmor') throw new EngineError('INVALID_OPTION', `invalid --security-opt: ${opt}`, opt);
  }
  return { ...(seccomp ? { seccomp } : {}), noNewPrivileges };
}

/**
 * docker's memory rules: `--memory-swap` is memory plus swap; left out, it is twice the memory; -1
 * is unlimited swap; equal to the memory, no swap. A kernel without swap accounting gets the memory
 * limit alone, and the cgroup driver says so (docker's "Memory limited without swap" warning).
 */
export function memoryLimits(host: Pick<HostConfig, 'Memory' | 'MemorySwap'>): LinuxMemory | undefined {
  if (host.Memory <= 0) return undefined;
  return { limit: host.Memory, swap: host.MemorySwap === 0 ? host.Memory * 2 : host.MemorySwap };
}

function resources(host: HostConfig): LinuxResources {
  const r: LinuxResources = { devices: [{ allow: host.Privileged, access: 'rwm' }] };
  const memory = memoryLimits(host);
  if (memory) r.memory = memory;
  const period = 100_000;
  if (host.NanoCpus || host.CpuShares || host.CpusetCpus) {
    r.cpu = {
      ...(host.CpuShares ? { shares: host.CpuShares } : {}),
      ...(host.NanoCpus ? { quota: Math.round((host.NanoCpus / 1e9) * period), period } : {}),
      ...(host.CpusetCpus ? { cpus: host.CpusetCpus } : {}),
    };
  }
  if (host.PidsLimit) r.pids = { limit: host.PidsLimit };
  if (host.BlkioWeight) r.blockIO = { weight: host.BlkioWeight };
  return r;
}

export interface SpecInput {
  id: string;
  config: ContainerConfig;
  host: HostConfig;
  hostname: string;
  user: ResolvedUser;
  /** user mounts (volumes, binds, tmpfs) and the network's /etc files, already in OCI form */
  mounts: Mount[];
  networkNamespaces: { type: 'network'; path?: string }[];
  /** host path of the tiny init, for --init */
  initBinary?: string;
}

export function buildSpec(input: SpecInput): Spec {
  const { config, host } = input;
  const caps = effectiveCapabilities(host);
  const security = securityOptions(host, caps);
  let args = [...(config.Entrypoint ?? []), ...(config.Cmd ?? [])];
  const mounts = [...defaultMounts(host.Privileged), ...input.mounts];
  if (host.Init && input.initBinary) {
    args = [INIT_PATH, '--', ...args];
    mounts.push({ destination: INIT_PATH, type: 'bind', source: input.initBinary, options: ['rbind', 'ro'] });
  }
  const env = [...config.Env];
  if (!env.some((e) => e.startsWith('HOSTNAME='))) env.push(`HOSTNAME=${input.hostname}`);
  if (!env.some((e) => e.startsWith('HOME='))) env.push(`HOME=${input.user.home || '/'}`);
  const rlimits: Rlimit[] = host.Ulimits.map((u) => {
    const type = RLIMITS[u.Name];
    if (!type) throw new EngineError('INVALID_OPTION', `invalid ulimit type: ${u.Name}`, u.Name);
    return { type, soft: u.Soft, hard: u.Hard };
  });
  return {
    ociVersion: '1.2.0',
    process: {
      terminal: config.Tty,
      user: input.user.user,
      args,
      env,
      cwd: config.WorkingDir || '/',
      capabilities: { bounding: caps, effective: caps, permitted: caps },
      rlimits,
      noNewPrivileges: security.noNewPrivileges,
    },
    root: { path: 'rootfs', readonly: host.ReadonlyRootfs },
    hostname: input.hostname,
    mounts,
    linux: {
      cgroupsPath: `${CGROUP_PARENT}/${input.id}`,
      resources: resources(host),
      namespaces: [{ type: 'pid' }, { type: 'ipc' }, { type: 'uts' }, { type: 'mount' }, ...input.networkNamespaces],
      ...(Object.keys(host.Sysctls).length ? { sysctl: host.Sysctls } : {}),
      ...(security.seccomp ? { seccomp: security.seccomp } : {}),
      ...(host.Privileged ? {} : { maskedPaths: MASKED_PATHS, readonlyPaths: READONLY_PATHS }),
    },
  };
}
