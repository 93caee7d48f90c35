// Assembles the plan that creates a container's init process, in the order the kernel needs:
// namespaces (user first), cgroup, fork into the pid namespace, mounts, hooks, pivot_root,
// hardening, terminal, process setup, "created", wait for start, then privileges and execve.
import type { Spec } from '../../oci/spec.js';
import { CloneFlag } from '../../sys/native.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { invalidConfig } from '../errors.js';
import { checkSysctls } from '../sysctl-policy.js';
import type { HostCgroupMount } from './cgroup-mounts.js';
import { joinOps, unshareFlags, type NamespacePlan } from './namespaces.js';
import { buildProcessPlan, terminalOp, type SeccompProgram } from './process.js';
import { hardeningOps, mountSetupOps, pivotOps } from './rootfs.js';

export const SyncCode = { USERNS: 1, CGROUP: 2, HOOKS: 3, CREATED: 4 } as const;

export const HOOK_STATE_FILE = 'hook-state.json';
const PR_SET_DUMPABLE = 4;
const CLONE_PARENT = 0x00008000;
const FD_MAX = 0xffffffff;

/** A program (the engine's supervisor) that becomes the parent of the container's init. */
export interface SupervisorLaunch {
  path: string;
  argv: string[];
  env: string[];
  /** fds the supervisor must inherit (pipe ends, its pid pipe); everything else it closes itself. */
  inheritFds: number[];
  /** The supervisor's own stdin, stdout and stderr (its diagnostics), instead of the caller's. */
  stdio?: StdioFds;
}

/** fds to install as the container's stdin, stdout and stderr instead of the runtime's own. */
export interface StdioFds {
  stdin?: number;
  stdout?: number;
  stderr?: number;
}

export interface InitPlanInput {
  spec: Spec;
  bundle: string;
  rootfs: string;
  syncFd: number;
  fifoFd: number;
  stateDirFd: number;
  consoleFd?: number;
  preserveFds: number;
  noPivot: boolean;
  cgroupPath: string;
  hostCgroups: HostCgroupMount[];
  namespaces: NamespacePlan;
  seccomp?: SeccompProgram;
  supervisor?: SupervisorLaunch;
  stdio?: StdioFds;
  /** Whether supplementary groups can be set (not in a user namespace whose setgroups is denied). */
  setGroups: boolean;
  /** The runtime has no root powers over the host (a user, or root in a user namespace): no mknod. */
  rootless: boolean;
}

export interface InitPlan {
  ops: PlanOp[];
  ignoredCapabilities: string[];
}

/** dup2 steps that install `stdio` as fds 0-2 (before other fds are closed). */
export function stdioOps(stdio: StdioFds | undefined): PlanOp[] {
  const ops: PlanOp[] = [];
  for (const [target, fd] of [[0, stdio?.stdin], [1, stdio?.stdout], [2, stdio?.stderr]] as const) {
    if (fd !== undefined) ops.push([Op.DUP2, fd, target]);
  }
  return ops;
}

/** close_range() calls that close every fd except stdio, the preserved ones, and `keep`. */
export function closeOtherFds(preserveFds: number, keep: number[]): PlanOp[] {
  const ops: PlanOp[] = [];
  let from = 3 + preserveFds;
  for (const fd of [...new Set(keep)].filter((f) => f >= from).sort((a, b) => a - b)) {
    if (fd > from) ops.push([Op.CLOSE_RANGE, from, fd - 1, 0]);
    from = fd + 1;
  }
  ops.push([Op.CLOSE_RANGE, from, FD_MAX, 0]);
  // The container inherits stdio and the preserved fds even though Node marks them close-on-exec.
  ops.push([Op.INHERIT_FDS, 0, 2 + preserveFds]);
  return ops;
}

function mapsRoot(spec: Spec): boolean {
  const maps = (m: { containerID: number; size: number }[] | undefined) => (m ?? []).some((x) => x.containerID === 0 && x.size > 0);
  return maps(spec.linux?.uidMappings) && maps(spec.linux?.gidMappings);
}

export function buildInitPlan(input: InitPlanInput): InitPlan {
  const { spec, namespaces } = input;
  const process = spec.process;
  if (!process) throw invalidConfig('process is required to create a container');
  const has = (t: 'mount' | 'uts') => namespaces.newTypes.has(t) || namespaces.joined.some((j) => j.type === t);
  // Without a mount namespace the container shares the host's mount table: none of the config's
  // mounts may be made (they would land on the host) and pivot_root would move the host's root, so
  // the root is entered with chroot, as runc does. This is the only case that uses chroot.
  const sharesHostMounts = !has('mount');
  // A joined namespace is the container's own too, unless it is the host's (checked for mount only).
  checkSysctls(spec.linux?.sysctl, new Set([...namespaces.newTypes, ...namespaces.joined.map((j) => j.type)]));
  if (spec.hostname && !has('uts')) throw invalidConfig('hostname is set but the container has no uts namespace of its own');
  const userns = namespaces.newTypes.has('user') || namespaces.joined.some((j) => j.type === 'user');
  if (namespaces.newTypes.has('user') && !(spec.linux?.uidMappings?.length && spec.linux?.gidMappings?.length)) {
    throw invalidConfig('a new user namespace needs linux.uidMappings and linux.gidMappings');
  }

  const keep = [input.syncFd, input.fifoFd, input.stateDirFd, ...namespaces.joined.map((j) => j.fd)];
  if (input.consoleFd !== undefined) keep.push(input.consoleFd);
  const rootFd = Math.max(...keep, 2 + input.preserveFds) + 1;
  const rootfsInput = {
    spec,
    bundle: input.bundle,
    rootfs: input.rootfs,
    rootFd,
    bindDevices: userns || input.rootless,
    newCgroupNs: namespaces.newTypes.has('cgroup'),
    cgroupPath: input.cgroupPath,
    hostCgroups: input.hostCgroups,
    noPivot: input.noPivot,
  };
  const proc = buildProcessPlan({
    process,
    seccomp: input.seccomp,
    setGroups: input.setGroups,
  });

  const ops: PlanOp[] = [...stdioOps(input.stdio), ...closeOtherFds(input.preserveFds, keep), ...joinOps(namespaces)];
  if (namespaces.newTypes.has('user')) {
    ops.push([Op.UNSHARE, CloneFlag.NEWUSER], [Op.SYNC, SyncCode.USERNS]);
    if (mapsRoot(spec)) ops.push([Op.SETRESGID, 0], [Op.SETRESUID, 0]);
  }
  ops.push([Op.SYNC, SyncCode.CGROUP]);
  const flags = unshareFlags(namespaces);
  if (flags) ops.push([Op.UNSHARE, flags]);
  // Nothing in the container may ptrace this process or open its /proc/<pid>/exe; with CAP_SYS_PTRACE
  // it can, and finds the sealed vessel-nsexec memfd, never a host binary (CVE-2019-5736).
  ops.push([Op.PRCTL, PR_SET_DUMPABLE, 0, 0]);
  ops.push([Op.FORK, CLONE_PARENT, -1]);

  // The names first: createContainer hooks run in these namespaces and see them.
  if (spec.hostname) ops.push([Op.SETHOSTNAME, spec.hostname]);
  if (spec.domainname) ops.push([Op.SETDOMAINNAME, spec.domainname]);
  if (!sharesHostMounts) ops.push(...mountSetupOps(rootfsInput));
  const hooks = spec.hooks ?? {};
  if (hooks.prestart?.length || hooks.createRuntime?.length || hooks.createContainer?.length) {
    ops.push([Op.SYNC, SyncCode.HOOKS]);
    for (const h of hooks.createContainer ?? []) ops.push(hookOp(h, input.stateDirFd));
  }
  if (sharesHostMounts) {
    ops.push([Op.CHROOT, input.rootfs]);
  } else {
    ops.push([Op.CLOSE, rootFd]);
    ops.push(...pivotOps(rootfsInput));
    ops.push(...hardeningOps(spec));
  }
  ops.push([Op.SETSID]);
  if (process.terminal) {
    if (input.consoleFd === undefined) throw invalidConfig('process.terminal is true but no --console-socket was given');
    ops.push(terminalOp(process, input.consoleFd));
  }
  ops.push(...proc.setup);
  ops.push([Op.SYNC, SyncCode.CREATED]);
  ops.push([Op.WAIT_FIFO, input.fifoFd]);
  for (const h of hooks.startContainer ?? []) ops.push(hookOp(h, input.stateDirFd));
  ops.push(...proc.launch);
  return { ops: input.supervisor ? underSupervisor(ops, input.supervisor) : ops, ignoredCapabilities: proc.ignoredCapabilities };
}

/**
 * The first process forks: the child builds the container (its init, forked with CLONE_PARENT,
 * becomes a child of the first process); the first process, still in the host's namespaces and
 * cgroup, jumps past the container steps and becomes the supervisor.
 */
function underSupervisor(containerOps: PlanOp[], sup: SupervisorLaunch): PlanOp[] {
  const supervisorStart = containerOps.length + 1;
  const supervisorOps: PlanOp[] = [
    [Op.SETSID],
    ...stdioOps(sup.stdio),
    ...sup.inheritFds.map((fd): PlanOp => [Op.INHERIT_FDS, fd, fd]),
    [Op.EXEC, [sup.path], sup.argv, sup.env],
  ];
  return [[Op.FORK, 0, supervisorStart], ...containerOps, ...supervisorOps];
}

export function hookOp(h: { path: string; args?: string[]; env?: string[]; timeout?: number }, stateDirFd: number): PlanOp {
  if (h.timeout !== undefined && h.timeout <= 0) throw invalidConfig(`hook ${h.path}: timeout must be positive`);
  return [Op.HOOK, h.path, h.args?.length ? h.args : [h.path], h.env ?? [], h.timeout ?? 0, stateDirFd, HOOK_STATE_FILE];
}
