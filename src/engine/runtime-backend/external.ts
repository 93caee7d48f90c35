// runc, crun or any OCI runtime with their command line, the way podman drives them under conmon:
// vessel's supervisor runs `<runtime> create` itself (native/supervisor/runtime_create.c) and so
// stays the container's parent; every other verb is one runtime command. Status comes from the
// init's /proc entry and the freezer, not `<runtime> state`: the engine asks for it in polling loops.
import { closeSync, existsSync, openSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cgroupManager, type CgroupManager } from '../../cgroups/index.js';
import type { Spec } from '../../oci/spec.js';
import { childProcess } from '../../sys/lazy.js';
import { Op, type PlanOp } from '../../sys/plan.js';
import { randomBytes } from '../../sys/random.js';
import { RuntimeBackendError } from './errors.js';
import { createUnderSupervisor, type ExternalRuntime } from './external-create.js';
import { spawnProgram } from './spawn.js';
import type { BackendContainer, BackendExecRequest, BackendStatus, RuntimeBackend } from './types.js';

export type { ExternalRuntime } from './external-create.js';

/** Alive and not a zombie awaiting its supervisor's wait. */
function isAlive(pid: number): boolean {
  if (pid <= 0) return false;
  try {
    // "pid (comm) S ...": comm may hold spaces and parentheses, the state follows the last ")"
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

export function externalBackend(rt: ExternalRuntime): RuntimeBackend {
  const stateDir = (id: string) => join(rt.stateRoot, id);

  const command = (args: string[], id: string): string => {
    try {
      return childProcess().execFileSync(rt.binary(), ['--root', rt.stateRoot, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    } catch (cause) {
      const detail = String((cause as { stderr?: string }).stderr ?? '').trim().split('\n').pop() || (cause as Error).message;
      throw new RuntimeBackendError('RUNTIME_FAILED', `${rt.name} ${args[0]} ${id}: ${detail}`, id, { cause });
    }
  };

  const spec = (id: string): Spec | undefined => {
    try {
      return JSON.parse(readFileSync(join(rt.bundleOf(id), 'config.json'), 'utf8')) as Spec;
    } catch {
      return undefined;
    }
  };

  const cgroup = (id: string): CgroupManager | undefined => {
    const s = existsSync(stateDir(id)) ? spec(id) : undefined;
    return s ? cgroupManager(s.linux?.cgroupsPath, id) : undefined;
  };

  const remove = (id: string, force: boolean): void => {
    if (!existsSync(stateDir(id))) return;
    try {
      command(['delete', ...(force ? ['--force'] : []), id], id);
    } catch (e) {
      // the runtime forgot it meanwhile: nothing of it is left
      if (existsSync(stateDir(id))) throw e;
    }
  };

  return {
    name: rt.name,
    execTerminal: 'relayed-by-runtime',
    create: (req) => createUnderSupervisor(rt, req, remove),
    start: (id) => void command(['start', id], id),
    kill: (id, signal, all) => void command(['kill', ...(all ? ['--all'] : []), id, signal], id),
    pause: (id) => void command(['pause', id], id),
    resume: (id) => void command(['resume', id], id),
    delete: remove,
    exists: (id) => existsSync(stateDir(id)),
    status(id: string, pid: number): BackendStatus {
      if (!isAlive(pid)) return 'stopped';
      try {
        return cgroup(id)?.isFrozen() ? 'paused' : 'running';
      } catch {
        return 'running';
      }
    },
    container(id: string): BackendContainer | undefined {
      const s = spec(id);
      if (!s || !existsSync(stateDir(id))) return undefined;
      const state = JSON.parse(command(['state', id], id)) as { pid?: number };
      return { pid: state.pid ?? 0, spec: s };
    },
    cgroup,
    pids: (id) => cgroup(id)?.pids() ?? [],
    exec(req: BackendExecRequest): number {
      if (req.consoleFd !== undefined) throw new RuntimeBackendError('UNSUPPORTED', `${rt.name} makes an exec's terminal itself: it takes no console socket without --detach`, req.id);
      // process.json, unlinked once open: the runtime reads it through our descriptor's /proc path,
      // and nothing is left to clean up whenever the exec ends
      const path = join(rt.bundleOf(req.id), `exec-${randomBytes(8).toString('hex')}.json`);
      writeFileSync(path, JSON.stringify(req.process), { mode: 0o600 });
      const processFd = openSync(path, 'r');
      try {
        unlinkSync(path);
        const binary = rt.binary();
        const argv = [binary, '--root', rt.stateRoot, 'exec', '--process', `/proc/self/fd/${processFd}`, req.id];
        // our stdio (or the fds asked for) is close-on-exec here: the runtime relays it to the process
        const stdio: PlanOp[] = req.stdio ? [[Op.DUP2, req.stdio.stdin, 0], [Op.DUP2, req.stdio.stdout, 1], [Op.DUP2, req.stdio.stderr, 2]] : [];
        return spawnProgram(binary, argv, envOf(process.env), [...stdio, [Op.INHERIT_FDS, 0, 2], [Op.INHERIT_FDS, processFd, processFd]]);
      } finally {
        closeSync(processFd);
      }
    },
  };
}

function envOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env).flatMap(([k, v]) => (v === undefined ? [] : [`${k}=${v}`]));
}

