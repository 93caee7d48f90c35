// `kill`: send a signal to the init process, or with `all` to every process in the cgroup.
import { containerCgroup } from '../cgroup.js';
import type { RuntimeContext } from '../context.js';
import { RuntimeError } from '../errors.js';
import { parseSignal } from '../signals.js';
import { containerStatus, requireStatus } from '../status.js';
import { activeTracer } from '../../trace/active.js';

export function kill(ctx: RuntimeContext, id: string, signal: string | number = 'SIGTERM', all = false): void {
  const sig = parseSignal(signal);
  const record = ctx.store.read(id);
  const status = containerStatus(ctx.store, record);
  // runc's wording: containerd's shim reads "container not running" as "already exited" (not an error)
  if (status === 'stopped' && !all) throw new RuntimeError('BAD_STATE', `cannot kill container "${id}": container not running (it is stopped)`, id);
  // `kill --all` of a stopped container signals what is left in its cgroup: containerd's shim calls it
  // when the init of a container without its own pid namespace exits, to end the init's children
  if (!all) requireStatus(id, status, ['created', 'running', 'paused'], 'kill');
  const pids = all ? cgroupPids(record) : [record.pid];
  const tracer = activeTracer();
  for (const pid of pids) {
    try {
      tracer.span('process', 'kill', `pid ${pid} signal ${signal}`, () => process.kill(pid, sig));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ESRCH') {
        throw new RuntimeError('SYSCALL', `kill ${pid} of container "${id}": ${(e as Error).message}`, id, { cause: e });
      }
    }
  }
}

function cgroupPids(record: Parameters<typeof containerCgroup>[0]): number[] {
  try {
    return containerCgroup(record).pids();
  } catch (e) {
    // a cgroup already removed holds no process
    if (((e as Error).cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') return [];
    throw e;
  }
}
