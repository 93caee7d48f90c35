// `exec`: run another process inside a running container.
import { closeSync, readFileSync } from 'node:fs';
import type { Process, User } from '../../oci/spec.js';
import { sys } from '../../sys/native.js';
import { containerCgroup } from '../cgroup.js';
import { cachedSeccomp } from '../seccomp-cache.js';
import type { RuntimeContext } from '../context.js';
import { runPlan } from '../plan/driver.js';
import { buildExecPlan } from '../plan/exec.js';
import { SyncCode, type StdioFds } from '../plan/init.js';
import { NAMESPACE_FILES, closeJoined, resolveNamespaces } from '../plan/namespaces.js';
import { writeAtomic } from '../state-store.js';
import { containerStatus, requireStatus } from '../status.js';
import { RuntimeError } from '../errors.js';
import { lookupUser, userFiles } from '../user-lookup.js';

/**
 * `-u user[:group]` for a process joining the container: names are looked up in the container's
 * own /etc/passwd and /etc/group (runc takes only numbers; docker exec takes both).
 */
export function resolveExecUser(ctx: RuntimeContext, id: string, spec: string): { user: User; home: string } {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['created', 'running'], 'exec in');
  const found = lookupUser(spec, userFiles(`/proc/${record.pid}/root`));
  if (!found.ok) throw new RuntimeError('USAGE', found.message, found.name);
  return { user: found.user, home: found.home };
}

export interface ExecOptions {
  id: string;
  process: Process;
  pidFile?: string;
  consoleSocket?: string;
  consoleFd?: number;
  preserveFds?: number;
  /** fds for the process's stdin, stdout and stderr (default: the caller's own) */
  stdio?: StdioFds;
}

/** Starts the process and returns its pid (in the host's pid namespace); it is our child. */
export function exec(ctx: RuntimeContext, opts: ExecOptions): number {
  const record = ctx.store.read(opts.id);
  requireStatus(opts.id, containerStatus(ctx.store, record), ['created', 'running'], 'exec in');
  // Join every namespace the container has, by its init's /proc entries (new or joined alike).
  const namespaces = resolveNamespaces(
    (record.config.linux?.namespaces ?? []).map((ns) => ({ type: ns.type, path: `/proc/${record.pid}/ns/${NAMESPACE_FILES[ns.type]}` })),
  );
  const opened: number[] = [];
  try {
    let consoleFd = opts.consoleFd;
    if (opts.consoleSocket) {
      consoleFd = sys().unixConnect(opts.consoleSocket);
      opened.push(consoleFd);
    }
    const seccomp = record.config.linux?.seccomp ? cachedSeccomp(record.config.linux.seccomp, ctx.store.root) : undefined;
    const cgroup = containerCgroup(record);
    let pid = 0;
    let ignored: string[] = [];
    runPlan(
      (syncFd) => {
        const plan = buildExecPlan({ process: opts.process, syncFd, consoleFd, preserveFds: opts.preserveFds ?? 0, namespaces, seccomp, setGroups: setgroupsAllowed(record.pid), ...(opts.stdio ? { stdio: opts.stdio } : {}) });
        ignored = plan.ignoredCapabilities;
        return plan.ops;
      },
      {
        onSync(code, firstPid) {
          if (code === SyncCode.CGROUP && cgroup.exists()) cgroup.addProcess(firstPid);
        },
        onPid(p) {
          pid = p;
        },
      },
      {
        trace: {
          seccompRules: record.config.linux?.seccomp?.syscalls?.reduce((n, rule) => n + rule.names.length, 0),
          syncNames: { [SyncCode.CGROUP]: "the runtime moves the process into the container's cgroup" },
        },
      },
    );
    if (ignored.length) ctx.warn(`ignoring unknown or unavailable capabilities: ${ignored.join(' ')}`);
    if (opts.pidFile) writeAtomic(opts.pidFile, String(pid));
    return pid;
  } finally {
    for (const fd of opened) closeSync(fd);
    closeJoined(namespaces);
  }
}

/** A rootless container whose user namespace has setgroups denied cannot set supplementary groups. */
function setgroupsAllowed(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/setgroups`, 'utf8').trim() !== 'deny';
  } catch {
    return true;
  }
}
