// `start`: release the init process blocked on the exec fifo, then run poststart hooks.
import { closeSync, constants, openSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { RuntimeContext } from '../context.js';
import { RuntimeError } from '../errors.js';
import { runHooksWarning } from '../hooks.js';
import { EXEC_FIFO } from '../state-store.js';
import { containerStatus, ociState, requireStatus } from '../status.js';
import { activeTracer } from '../../trace/active.js';

export function start(ctx: RuntimeContext, id: string): void {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['created'], 'start');
  const fifo = join(ctx.store.dir(id), EXEC_FIFO);
  let fd: number;
  try {
    fd = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (e) {
    // ENXIO: nobody holds the read end any more, i.e. the init process is gone.
    throw new RuntimeError('BAD_STATE', `cannot start container "${id}": its init process is not waiting (${(e as NodeJS.ErrnoException).code})`, id, { cause: e });
  }
  try {
    activeTracer().span('process', 'write', `${fifo}: releases the init (pid ${record.pid}) to run its program`, () => writeSync(fd, '0'));
  } finally {
    closeSync(fd);
  }
  unlinkSync(fifo);
  runHooksWarning(record.config.hooks?.poststart, ociState(record, 'running'), 'poststart', ctx.warn);
}
