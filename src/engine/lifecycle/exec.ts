// `exec`: another process in a running container, joining its namespaces and cgroup, with the
// container's environment, user, capabilities and seccomp unless told otherwise.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Process } from '../../oci/spec.js';
import { CAPABILITIES } from '../../runtime/capabilities.js';
import { waitForwardingSignals } from '../../runtime/index.js';
import { mergeEnv } from '../config/parse.js';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { withContainer } from '../locks/container-lock.js';
import { backendOf, type RuntimeBackend } from '../runtime-backend/index.js';
import { resolveUser } from '../bundle/user.js';
import { appendEvent } from '../store/events.js';
import { liveState } from './status.js';

export interface ExecRequest {
  container: string;
  cmd: string[];
  env: string[];
  workdir?: string;
  user?: string;
  privileged: boolean;
  tty: boolean;
  /** The client's terminal size: the pty has it before the command runs. */
  consoleSize?: { height: number; width: number };
  consoleFd?: number;
  /** fds for the process's stdin, stdout and stderr (default: the caller's own) */
  stdio?: { stdin: number; stdout: number; stderr: number };
}

/** Starts the process; it is our child. Returns its pid. The container's lock is held until the
 * process has joined the container, not while it runs. */
export function execInContainer(engine: Engine, req: ExecRequest): Promise<number> {
  return withContainer(engine, req.container, (rec) => execLocked(engine, rec, req));
}

async function execLocked(engine: Engine, rec: ContainerRecord, req: ExecRequest): Promise<number> {
  const status = liveState(engine, rec).status;
  if (status !== 'running') throw new EngineError('BAD_STATE', `container ${rec.id} is not running`, rec.id);
  const backend = backendOf(engine, rec);
  const rt = backend.container(rec.id);
  const base = rt?.spec.process;
  if (!rt || !base) throw new EngineError('BAD_STATE', `container ${rec.id} has no runtime state`, rec.id);
  const user = req.user !== undefined ? resolveUser(`/proc/${rt.pid}/root`, req.user).user : base.user;
  const caps = req.privileged ? [...CAPABILITIES] : undefined;
  const process: Process = {
    ...base,
    terminal: req.tty,
    consoleSize: req.tty ? req.consoleSize : undefined,
    args: req.cmd,
    env: mergeEnv(base.env ?? [], req.env),
    cwd: req.workdir ?? base.cwd,
    user,
    ...(caps ? { capabilities: { bounding: caps, effective: caps, permitted: caps } } : {}),
  };
  let pid: number;
  try {
    pid = backend.exec({ id: rec.id, process, ...(req.consoleFd !== undefined ? { consoleFd: req.consoleFd } : {}), ...(req.stdio ? { stdio: req.stdio } : {}) });
  } catch (e) {
    // the lock keeps other vessel processes out, not the container's own end: it may have exited
    // (or been signalled just before) while the process was joining it
    if (await endsWithin(engine, rec, ENDING_MS)) throw new EngineError('BAD_STATE', `container ${rec.id} is not running`, rec.id, { cause: e });
    throw e;
  }
  appendEvent(engine.images.db, 'container', `exec_start: ${req.cmd.join(' ')}`, rec.id, { name: rec.name });
  return pid;
}

/** A process that is exiting loses its namespaces a moment before /proc shows it gone. */
const ENDING_MS = 500;

async function endsWithin(engine: Engine, rec: ContainerRecord, ms: number): Promise<boolean> {
  for (const deadline = Date.now() + ms; Date.now() < deadline; await sleep(10)) {
    if (liveState(engine, rec).status !== 'running') return true;
  }
  return false;
}

export { waitForwardingSignals };

/** Whether `exec -t` in this container gets its pty master through a console socket (vessel's own
 * runtime), or runs on the caller's stdio while the runtime relays the terminal (runc, crun). */
export function execTerminalVia(engine: Engine, ref: string): RuntimeBackend['execTerminal'] {
  return backendOf(engine, engine.containers.resolve(ref)).execTerminal;
}
