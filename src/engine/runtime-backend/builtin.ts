// vessel's own runtime, in-process: the library's verbs over the engine's state root.
import type { CgroupManager } from '../../cgroups/index.js';
import { containerCgroup } from '../../runtime/cgroup.js';
import { containerPids, create, deleteContainer, exec, kill, pause, resume, start, type ContainerRecord, type RuntimeContext } from '../../runtime/index.js';
import { containerStatus } from '../../runtime/status.js';
import { supervisorArgv, supervisorEnv, supervisorPath } from '../supervisor/argv.js';
import type { BackendContainer, BackendCreateRequest, BackendCreated, BackendExecRequest, BackendStatus, RuntimeBackend } from './types.js';

export const BUILTIN_RUNTIME = 'vessel';

export function builtinBackend(ctx: RuntimeContext): RuntimeBackend {
  const record = (id: string): ContainerRecord | undefined => {
    try {
      return ctx.store.read(id);
    } catch {
      return undefined;
    }
  };
  return {
    name: BUILTIN_RUNTIME,
    execTerminal: 'console-socket',
    create(req: BackendCreateRequest): BackendCreated {
      const inheritFds = Object.values(req.supervisor.fds).filter((fd): fd is number => fd !== undefined);
      const created = create(ctx, {
        id: req.id, bundle: req.bundle, stdio: req.stdio,
        supervisor: { path: supervisorPath(), argv: supervisorArgv(req.supervisor), env: supervisorEnv(), inheritFds, stdio: req.supervisorStdio },
        ...(req.consoleFd !== undefined ? { consoleFd: req.consoleFd } : {}),
      });
      return { pid: created.pid, supervisorPid: created.supervisorPid ?? 0 };
    },
    start: (id) => start(ctx, id),
    kill: (id, signal, all) => kill(ctx, id, signal, all),
    pause: (id) => pause(ctx, id),
    resume: (id) => resume(ctx, id),
    delete(id: string, force: boolean): void {
      if (!ctx.store.exists(id)) return;
      try {
        deleteContainer(ctx, id, force);
      } catch (e) {
        // a state dir without state.json (a create cut short): remove it
        if ((e as { code?: string }).code !== 'NOT_FOUND') throw e;
        ctx.store.remove(id);
      }
    },
    exists: (id) => ctx.store.exists(id),
    status(id: string): BackendStatus {
      const rt = record(id);
      return rt ? containerStatus(ctx.store, rt) : 'stopped';
    },
    container(id: string): BackendContainer | undefined {
      const rt = record(id);
      return rt ? { pid: rt.pid, spec: rt.config } : undefined;
    },
    cgroup(id: string): CgroupManager | undefined {
      const rt = record(id);
      return rt ? containerCgroup(rt) : undefined;
    },
    pids: (id) => containerPids(ctx, id),
    exec: (req: BackendExecRequest) => exec(ctx, { id: req.id, process: req.process, ...(req.consoleFd !== undefined ? { consoleFd: req.consoleFd } : {}), ...(req.stdio ? { stdio: req.stdio } : {}) }),
  };
}
