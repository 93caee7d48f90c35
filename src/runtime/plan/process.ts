// The process half of a plan: what runs after the root is in place, up to execve. Shared by the
// container's init and by `exec`.
import type { Process } from '../../oci/spec.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { availableCapabilities, capabilityMask, hi32, lo32 } from '../capabilities.js';
import { invalidConfig } from '../errors.js';
import { RLIMITS, currentHardLimits, toRlimitValue } from '../rlimits.js';

const PR_SET_KEEPCAPS = 8;
const PR_SET_NO_NEW_PRIVS = 38;
const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface SeccompProgram {
  filter: Buffer;
  flags: number;
}

export interface ProcessPlan {
  /** Before the container counts as created: rlimits, cwd, the check that the program exists. */
  setup: PlanOp[];
  /** After start: no_new_privs, seccomp, identity, capabilities, execve. */
  launch: PlanOp[];
  /** Capability names that were asked for but are unknown or unavailable here (ignored, as runc does). */
  ignoredCapabilities: string[];
}

export interface ProcessPlanInput {
  process: Process;
  seccomp?: SeccompProgram;
  /** Whether to set supplementary groups (not possible in a user namespace with setgroups denied). */
  setGroups: boolean;
}

export function executableCandidates(process: Process): string[] {
  const arg0 = process.args?.[0];
  if (!arg0) throw invalidConfig('process.args must name a program');
  if (arg0.includes('/')) return [arg0];
  const pathVar = (process.env ?? []).find((e) => e.startsWith('PATH='))?.slice(5) ?? DEFAULT_PATH;
  return pathVar.split(':').map((dir) => `${dir === '' ? '.' : dir.replace(/\/+$/, '')}/${arg0}`);
}

export function rlimitOps(process: Process): PlanOp[] {
  const ops: PlanOp[] = [];
  let hard: Map<number, bigint> | undefined;
  for (const r of process.rlimits ?? []) {
    const resource = RLIMITS[r.type];
    if (resource === undefined) throw invalidConfig(`unknown rlimit type "${r.type}"`);
    const soft = toRlimitValue(r.soft);
    const max = toRlimitValue(r.hard);
    if (soft > max) throw invalidConfig(`rlimit ${r.type}: soft limit ${r.soft} is above the hard limit ${r.hard}`);
    hard ??= currentHardLimits();
    const hostHard = hard.get(resource);
    if (hostHard !== undefined && max > hostHard) {
      throw invalidConfig(
        `rlimit ${r.type}: hard limit ${r.hard} is above this host's ${hostHard}; raising a hard limit needs CAP_SYS_RESOURCE, which the runtime does not have here`,
      );
    }
    ops.push([Op.RLIMIT, resource, soft, max]);
  }
  return ops;
}

export function buildProcessPlan(input: ProcessPlanInput): ProcessPlan {
  const p = input.process;
  if (!p.cwd || !p.cwd.startsWith('/')) throw invalidConfig(`process.cwd "${p.cwd}" must be an absolute path`);
  if (!p.args || p.args.length === 0) throw invalidConfig('process.args must not be empty');
  const candidates = executableCandidates(p);
  const setup: PlanOp[] = [...rlimitOps(p)];
  if (p.oomScoreAdj !== undefined) setup.push([Op.WRITE_FILE, '/proc/self/oom_score_adj', String(p.oomScoreAdj)]);
  setup.push([Op.CHDIR, p.cwd, 1]);
  setup.push([Op.CHECK_EXEC, candidates]);

  const available = availableCapabilities();
  const caps = p.capabilities ?? {};
  const sets = {
    bounding: capabilityMask(caps.bounding, available),
    effective: capabilityMask(caps.effective, available),
    permitted: capabilityMask(caps.permitted, available),
    inheritable: capabilityMask(caps.inheritable, available),
    ambient: capabilityMask(caps.ambient, available),
  };
  const ignored = [...new Set(Object.values(sets).flatMap((s) => s.ignored))];
  // The kernel raises an ambient capability only if it is also permitted and inheritable.
  const ambient = sets.ambient.mask & sets.permitted.mask & sets.inheritable.mask;

  const launch: PlanOp[] = [];
  if (p.user.umask !== undefined) launch.push([Op.UMASK, p.user.umask]);
  else launch.push([Op.UMASK, 0o022]);
  if (p.noNewPrivileges) launch.push([Op.PRCTL, PR_SET_NO_NEW_PRIVS, 1, 0]);
  // Without no_new_privs, installing a filter needs CAP_SYS_ADMIN, which may be dropped below: so
  // the filter goes in first then, and last (just before execve) otherwise.
  if (input.seccomp && !p.noNewPrivileges) launch.push([Op.SECCOMP, input.seccomp.filter, input.seccomp.flags]);
  // The bounding set can only be changed while we still hold CAP_SETPCAP, i.e. before the uid switch.
  launch.push([Op.CAP_BOUND, lo32(sets.bounding.mask), hi32(sets.bounding.mask)]);
  launch.push([Op.PRCTL, PR_SET_KEEPCAPS, 1, 0]);
  if (input.setGroups) launch.push([Op.SETGROUPS, gidBuffer(p.user.additionalGids ?? [])]);
  launch.push([Op.SETRESGID, p.user.gid]);
  launch.push([Op.SETRESUID, p.user.uid]);
  launch.push([Op.PRCTL, PR_SET_KEEPCAPS, 0, 0]);
  launch.push([
    Op.CAPSET,
    lo32(sets.effective.mask), hi32(sets.effective.mask),
    lo32(sets.permitted.mask), hi32(sets.permitted.mask),
    lo32(sets.inheritable.mask), hi32(sets.inheritable.mask),
  ]);
  if (ambient !== 0n) launch.push([Op.CAP_AMBIENT, lo32(ambient), hi32(ambient)]);
  if (input.seccomp && p.noNewPrivileges) launch.push([Op.SECCOMP, input.seccomp.filter, input.seccomp.flags]);
  launch.push([Op.EXEC, candidates, p.args, p.env ?? []]);
  return { setup, launch, ignoredCapabilities: ignored };
}

function gidBuffer(gids: number[]): Buffer {
  const b = Buffer.alloc(gids.length * 4);
  gids.forEach((g, i) => b.writeUInt32LE(g, i * 4));
  return b;
}

/** The TERMINAL op for a process: the pty is sized from process.consoleSize when it has one. */
export function terminalOp(process: Process, consoleFd: number): PlanOp {
  const size = process.consoleSize;
  return size && size.height > 0 && size.width > 0 ? [Op.TERMINAL, consoleFd, size.height, size.width] : [Op.TERMINAL, consoleFd];
}
