// The plan steps that turn the parent side of the engine's [Op.FORK, 0, K] into the supervisor:
// a new session, the descriptors it needs moved to fixed numbers, then exec.
import { Op, type PlanOp } from '../../sys/plan.js';
import { supervisorArgv, supervisorEnv, supervisorPath, type SupervisorFds, type SupervisorOptions } from './argv.js';

export interface SupervisorLaunch extends Omit<SupervisorOptions, 'fds'> {
  /** Descriptors as numbered in the engine's process; the steps renumber them for the supervisor. */
  fds: SupervisorFds;
  /** Put on the supervisor's stdin/stdout/stderr (and so its --on-exit program's): /dev/null or a diagnostics file. */
  stdioFd: number;
  /** The supervisor's environment; supervisorEnv() by default. */
  env?: string[];
}

/** Steps for op index K onwards. The new numbers lie above every source, so no move clobbers
 * a descriptor that is still to be moved. */
export function supervisorLaunchOps(launch: SupervisorLaunch): PlanOp[] {
  const entries = Object.entries(launch.fds).filter((e): e is [keyof SupervisorFds, number] => e[1] !== undefined);
  let next = Math.max(2, launch.stdioFd, ...entries.map(([, fd]) => fd)) + 1;
  const moved: SupervisorFds = { pid: -1 };
  const ops: PlanOp[] = [[Op.SETSID]];
  for (const [key, fd] of entries) {
    moved[key] = next;
    ops.push([Op.DUP2, fd, next++]);
  }
  for (const std of [0, 1, 2]) ops.push([Op.DUP2, launch.stdioFd, std]);
  const { stdioFd: _stdio, env, fds: _fds, ...rest } = launch;
  const argv = supervisorArgv({ ...rest, fds: moved });
  ops.push([Op.EXEC, [supervisorPath()], argv, env ?? supervisorEnv()]);
  return ops;
}
