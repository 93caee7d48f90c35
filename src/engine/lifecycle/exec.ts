// `exec`: another process in a running container, joining its namespaces and cgroup, with the
// container's environment, user, capabilities and seccomp unless told otherwise.
import type { Process } from '../../oci/spec.js';
import { CAPABILITIES } from '../../runtime/capabilities.js';
import { waitForwardingSignals } from '../../runtime/index.js';
import { mergeEnv } from '../config/parse.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
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

/** Starts the process; it is our child. Returns its pid. */
export function execInContainer(engine: Engine, req: ExecRequest): number {
  const rec = engine.containers.resolve(req.container);
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
  const pid = backend.exec({ id: rec.id, process, ...(req.consoleFd !== undefined ? { consoleFd: req.consoleFd } : {}), ...(req.stdio ? { stdio: req.stdio } : {}) });
  appendEvent(engine.images.db, 'container', `exec_start: ${req.cmd.join(' ')}`, rec.id, { name: rec.name });
  return pid;
}

export { waitForwardingSignals };

/** Whether `exec -t` in this container gets its pty master through a console socket (vessel's own
 * runtime), or runs on the caller's stdio while the runtime relays the terminal (runc, crun). */
export function execTerminalVia(engine: Engine, ref: string): RuntimeBackend['execTerminal'] {
  return backendOf(engine, engine.containers.resolve(ref)).execTerminal;
}
