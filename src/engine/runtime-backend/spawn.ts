// Starting a runtime or the supervisor from the engine: through the plan interpreter rather than
// child_process, so that the process is ours to wait for (libuv would reap it) and its descriptors
// are exactly the ones the prelude makes inheritable.
import { runPlan } from '../../runtime/plan/driver.js';
import { Op, type PlanOp } from '../../sys/plan.js';

/** Runs `prelude`, then execs the program; returns its pid (our child). */
export function spawnProgram(path: string, argv: string[], env: string[], prelude: PlanOp[]): number {
  return runPlan(() => [...prelude, [Op.EXEC, [path], argv, env]], {}, { reapFirst: false }).firstPid;
}
