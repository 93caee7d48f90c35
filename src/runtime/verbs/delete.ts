// `delete`: remove a stopped (or, with force, any) container: its processes, cgroup and state.
import { containerCgroup } from '../cgroup.js';
import type { RuntimeContext } from '../context.js';
import { runHooksWarning } from '../hooks.js';
import { isAlive } from '../process-info.js';
import { containerStatus, ociState, requireStatus } from '../status.js';
import { sleepSync } from '../../sys/sleep.js';
import { activeTracer } from '../../trace/active.js';

export function deleteContainer(ctx: RuntimeContext, id: string, force = false): void {
  const record = ctx.store.read(id);
  const status = containerStatus(ctx.store, record);
  // The spec: deleting a container that is not stopped must fail and change nothing. "creating"
  // only remains when a create was killed midway: its leftovers are what delete is for.
  if (!force) requireStatus(id, status, ['stopped', 'creating'], 'delete (use --force to kill it)');
  const cgroup = containerCgroup(record);
  if (status !== 'stopped') {
    killAll(record.pid, record.pidStartTime, cgroup);
  }
  if (cgroup.exists()) {
    // Processes that joined the container (exec) may still be in the cgroup.
    for (const pid of safePids(cgroup)) signalQuietly(pid);
    if (status === 'paused' || cgroup.isFrozen()) cgroup.thaw();
    cgroup.destroy();
  }
  if (status !== 'creating') runHooksWarning(record.config.hooks?.poststop, ociState(record, 'stopped'), 'poststop', ctx.warn);
  ctx.store.remove(id);
}

function safePids(cgroup: { pids(): number[] }): number[] {
  try {
    return cgroup.pids();
  } catch {
    return [];
  }
}

function signalQuietly(pid: number): void {
  try {
    activeTracer().span('process', 'kill', `pid ${pid} signal SIGKILL`, () => process.kill(pid, 'SIGKILL'));
  } catch {
    // already gone
  }
}

function killAll(pid: number, startTime: string, cgroup: { pids(): number[]; isFrozen(): boolean; thaw(): void }): void {
  if (isAlive(pid, startTime)) signalQuietly(pid);
  for (const p of safePids(cgroup)) signalQuietly(p);
  try {
    if (cgroup.isFrozen()) cgroup.thaw();
  } catch {
    // no freezer
  }
  const deadline = Date.now() + 5000;
  while (isAlive(pid, startTime) && Date.now() < deadline) sleepSync(10);
}
