// `create`: everything up to the point where the user's program would run. The init process is
// left blocked on the exec fifo; `start` releases it.
import { closeSync, constants, existsSync, openSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import type { LinuxResources, Spec } from '../../oci/spec.js';
import { sys } from '../../sys/native.js';
import type { CgroupManager } from '../../cgroups/index.js';
import { newContainerCgroup, requestedLimits } from '../cgroup.js';
import { runningRootless } from '../../rootless/identity.js';
import { applyIdMaps, planIdMaps, type IdMapPlan } from '../id-maps.js';
import { cachedSeccomp } from '../seccomp-cache.js';
import { effectiveResources } from '../device-rules.js';
import type { RuntimeContext } from '../context.js';
import { RuntimeError } from '../errors.js';
import { runHooks } from '../hooks.js';
import { hostCgroupMounts } from '../plan/cgroup-mounts.js';
import { runPlan } from '../plan/driver.js';
import { HOOK_STATE_FILE, SyncCode, buildInitPlan, type StdioFds, type SupervisorLaunch } from '../plan/init.js';
import { closeJoined, resolveNamespaces, type NamespacePlan } from '../plan/namespaces.js';
import type { SeccompProgram } from '../plan/process.js';
import { readProcessStat } from '../process-info.js';
import { loadBundle } from '../spec-load.js';
import { EXEC_FIFO, writeAtomic, type ContainerRecord } from '../state-store.js';
import { ociState } from '../status.js';
import { activeTracer } from '../../trace/active.js';

export interface CreateOptions {
  id: string;
  bundle: string;
  pidFile?: string;
  consoleSocket?: string;
  /** An already-connected socket to send the pty master to (the engine's own console). */
  consoleFd?: number;
  noPivot?: boolean;
  preserveFds?: number;
  /** Start this program as the parent of the container's init (the engine's supervisor). */
  supervisor?: SupervisorLaunch;
  /** The container's stdio, instead of the caller's. */
  stdio?: StdioFds;
}

export function create(ctx: RuntimeContext, opts: CreateOptions): ContainerRecord {
  const { store } = ctx;
  const dir = store.reserve(opts.id);
  const opened: number[] = [];
  let namespaces: NamespacePlan | undefined;
  let cgroup: CgroupManager | undefined;
  let cgroupCreated = false;
  try {
    const bundle = loadBundle(opts.bundle);
    const spec = bundle.spec;
    const record: ContainerRecord = {
      ociVersion: spec.ociVersion,
      id: opts.id,
      bundle: bundle.path,
      rootfs: bundle.rootfs,
      pid: 0,
      pidStartTime: '',
      created: new Date().toISOString(),
      owner: ownerName(),
      annotations: spec.annotations ?? {},
      cgroupPath: '',
      stage: 'creating',
      config: spec,
    };
    const chosen = newContainerCgroup(record);
    cgroup = chosen.cgroup;
    record.cgroupPath = cgroup.path;
    // Decided before anything starts: a mapping the user may not have fails here, with nothing made.
    const idMaps: IdMapPlan | undefined = spec.linux?.namespaces?.some((n) => n.type === 'user' && !n.path) ? planIdMaps(spec) : undefined;
    const limits = requestedLimits(spec.linux?.resources);
    if (chosen.skipped && limits.length) ctx.warn(`container "${opts.id}" runs without a cgroup (${chosen.skipped}): its ${limits.join(', ')} limits are not enforced`);
    store.write(record);

    const fifo = join(dir, EXEC_FIFO);
    sys().mkfifo(fifo, 0o622);
    const fifoFd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    opened.push(fifoFd);
    const stateDirFd = openSync(dir, constants.O_RDONLY | constants.O_DIRECTORY);
    opened.push(stateDirFd);
    let consoleFd = opts.consoleFd;
    if (opts.consoleSocket) {
      consoleFd = sys().unixConnect(opts.consoleSocket);
      opened.push(consoleFd);
    }
    namespaces = resolveNamespaces(spec.linux?.namespaces);
    const seccompProfile = spec.linux?.seccomp;
    const seccompRules = seccompProfile?.syscalls?.reduce((n, rule) => n + rule.names.length, 0);
    const seccomp: SeccompProgram | undefined = seccompProfile
      ? activeTracer().span('security', 'seccomp', (p) => `profile of ${seccompRules} syscall rules compiled (or read from the cache) to ${p ? p.filter.length / 8 : '?'} BPF instructions`, () => cachedSeccomp(seccompProfile, ctx.store.root))
      : undefined;
    const hostCgroups = hostCgroupMounts();
    const cg = cgroup;
    const ns = namespaces;

    let ignored: string[] = [];
    const run = runPlan(
      (syncFd) => {
        const plan = buildInitPlan({
          spec, bundle: bundle.path, rootfs: bundle.rootfs, syncFd, fifoFd, stateDirFd, consoleFd,
          preserveFds: opts.preserveFds ?? 0, noPivot: opts.noPivot ?? false,
          cgroupPath: cg.path, hostCgroups, namespaces: ns, seccomp, supervisor: opts.supervisor, stdio: opts.stdio,
          setGroups: !idMaps?.denySetgroups, rootless: runningRootless(),
        });
        ignored = plan.ignoredCapabilities;
        return plan.ops;
      },
      {
        onSync(code, pid) {
          if (code === SyncCode.USERNS) applyIdMaps(pid, spec, idMaps!);
          else if (code === SyncCode.CGROUP) {
            cg.create();
            cgroupCreated = true;
            if (spec.linux?.resources) cg.apply(cgroupResources(spec));
            cg.addProcess(pid);
          } else if (code === SyncCode.HOOKS) {
            writeHookState(dir, record, 'creating');
            runHooks(spec.hooks?.prestart, ociState(record, 'creating'), 'prestart');
            runHooks(spec.hooks?.createRuntime, ociState(record, 'creating'), 'createRuntime');
          } else if (code === SyncCode.CREATED) {
            record.pidStartTime = readProcessStat(record.pid)?.startTime ?? '';
            record.stage = 'created';
            store.write(record);
            writeHookState(dir, record, 'created');
            if (opts.pidFile) writeAtomic(opts.pidFile, String(record.pid));
          }
        },
        onPid(pid) {
          record.pid = pid;
        },
      },
      // With a supervisor the first process lives on as the supervisor: it is not ours to reap.
      {
        detachAfterSync: SyncCode.CREATED,
        reapFirst: !opts.supervisor,
        // `start` removes the fifo once it has released the init (a delete removes it too)
        trace: { seccompRules, syncNames: SYNC_NAMES, mayHaveStarted: () => !existsSync(fifo) },
      },
    );
    if (opts.supervisor) record.supervisorPid = run.firstPid;
    if (ignored.length) ctx.warn(`ignoring unknown or unavailable capabilities: ${ignored.join(' ')}`);
    if (record.stage !== 'created') throw new RuntimeError('SETUP_FAILED', `container "${opts.id}": init exited before it was ready`, opts.id);
    return record;
  } catch (e) {
    if (cgroupCreated) destroyQuietly(cgroup);
    store.remove(opts.id);
    throw e;
  } finally {
    for (const fd of opened) closeSync(fd);
    if (namespaces) closeJoined(namespaces);
  }
}

/** What the runtime does at each of the init's sync points, for --trace. */
export const SYNC_NAMES: Record<number, string> = {
  [SyncCode.USERNS]: 'user namespace made: the runtime writes its uid/gid maps',
  [SyncCode.CGROUP]: 'the runtime creates the cgroup, writes its limits and moves the process in',
  [SyncCode.HOOKS]: 'the runtime runs the prestart and createRuntime hooks',
  [SyncCode.CREATED]: 'set up: the runtime records "created"',
};

function destroyQuietly(cg: CgroupManager | undefined): void {
  try {
    cg?.destroy();
  } catch {
    // reported by the original error; `delete` retries
  }
}

/** The user running the runtime; a uid with no passwd entry (in a user namespace) is named by its number. */
function ownerName(): string {
  try {
    return userInfo().username;
  } catch {
    return String(process.geteuid!());
  }
}

/**
 * What goes into the container's cgroup. Rootless, device rules are left out: attaching the
 * device program needs privilege, and the container reaches only devices the user may open.
 */
function cgroupResources(spec: Spec): LinuxResources {
  const resources = effectiveResources(spec.linux!.resources!, spec.linux?.devices);
  return runningRootless() ? { ...resources, devices: undefined } : resources;
}

function writeHookState(dir: string, record: ContainerRecord, status: 'creating' | 'created'): void {
  writeAtomic(join(dir, HOOK_STATE_FILE), JSON.stringify(ociState(record, status)));
}
