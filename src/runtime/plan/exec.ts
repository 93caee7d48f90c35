// The plan for `exec`: join every namespace and the cgroup of a running container, then run a
// process the way init runs its own (rlimits, cwd, no_new_privs, seccomp, identity, caps).
import type { Process } from '../../oci/spec.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { invalidConfig } from '../errors.js';
import { SyncCode, closeOtherFds, stdioOps, type StdioFds } from './init.js';
import { joinOps, type NamespacePlan } from './namespaces.js';
import { buildProcessPlan, terminalOp, type SeccompProgram } from './process.js';

const PR_SET_DUMPABLE = 4;
const CLONE_PARENT = 0x00008000;

export interface ExecPlanInput {
  process: Process;
  syncFd: number;
  consoleFd?: number;
  preserveFds: number;
  namespaces: NamespacePlan;
  seccomp?: SeccompProgram;
  /** Whether supplementary groups can be set (not where the container's user namespace denies setgroups). */
  setGroups: boolean;
  /** the process's stdio instead of the caller's (an API server gives each exec its own pipes) */
  stdio?: StdioFds;
}

export function buildExecPlan(input: ExecPlanInput): { ops: PlanOp[]; ignoredCapabilities: string[] } {
  const keep = [input.syncFd, ...input.namespaces.joined.map((j) => j.fd)];
  if (input.consoleFd !== undefined) keep.push(input.consoleFd);
  const proc = buildProcessPlan({ process: input.process, seccomp: input.seccomp, setGroups: input.setGroups });
  const ops: PlanOp[] = [...stdioOps(input.stdio), ...closeOtherFds(input.preserveFds, keep), [Op.SYNC, SyncCode.CGROUP], ...joinOps(input.namespaces)];
  // Not dumpable while we hold host state: a container process must not ptrace us or read our memory
  // (our exe is the sealed vessel-nsexec memfd, which a container cannot write: CVE-2019-5736).
  ops.push([Op.PRCTL, PR_SET_DUMPABLE, 0, 0], [Op.FORK, CLONE_PARENT, -1]);
  if (input.process.terminal) {
    if (input.consoleFd === undefined) throw invalidConfig('process.terminal is true but no console socket was given');
    ops.push([Op.SETSID], terminalOp(input.process, input.consoleFd));
  }
  ops.push(...proc.setup, ...proc.launch);
  return { ops, ignoredCapabilities: proc.ignoredCapabilities };
}
