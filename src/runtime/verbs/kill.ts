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
  requireStatus(id, status, ['created', 'running', 'paused'], 'kill');
  const pids = all ? containerCgroup(record).pids() : [record.pid];
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
