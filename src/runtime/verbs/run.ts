// `run`: create and start; in the foreground, wait for the program and return its exit status,
// forwarding the signals this process receives.
import { sys } from '../../sys/native.js';
import type { RuntimeContext } from '../context.js';
import { create, type CreateOptions } from './create.js';
import { deleteContainer } from './delete.js';
import { start } from './start.js';

const FORWARDED: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP', 'SIGQUIT', 'SIGUSR1', 'SIGUSR2', 'SIGWINCH'];

export interface RunOptions extends CreateOptions {
  detach?: boolean;
  keep?: boolean;
}

/** Exit status of a waited process the way a shell reports it. */
export function exitStatus(r: { exitCode: number | null; signal: number | null }): number {
  return r.exitCode ?? 128 + (r.signal ?? 0);
}

/** Waits for a process that is our child, forwarding our signals to it. */
export async function waitForwardingSignals(pid: number): Promise<number> {
  const forward = (signal: NodeJS.Signals) => {
    try {
      process.kill(pid, signal);
    } catch {
      // exited meanwhile
    }
  };
  for (const s of FORWARDED) process.on(s, forward);
  try {
    return exitStatus(await sys().waitPid(pid));
  } finally {
    for (const s of FORWARDED) process.off(s, forward);
  }
}

export async function run(ctx: RuntimeContext, opts: RunOptions): Promise<number> {
  const record = create(ctx, opts);
  try {
    start(ctx, opts.id);
  } catch (e) {
    deleteContainer(ctx, opts.id, true);
    throw e;
  }
  if (opts.detach) return 0;
  const code = await waitForwardingSignals(record.pid);
  if (!opts.keep) deleteContainer(ctx, opts.id, true);
  return code;
}
