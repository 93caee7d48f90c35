// `start`: mount the rootfs, plan the network, write the bundle, create the container under its
// supervisor (which outlives us), connect the network, release the init. Every step registers its
// undo; a failure undoes in reverse and reports the error with any undo step's failure.
import { closeSync, existsSync, mkdirSync, openSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { layerDiffDir } from '../../image/store/index.js';
import { mountSnapshot, unmountSnapshot } from '../../image/snapshot/index.js';
import type { StdioFds } from '../../runtime/index.js';
import { sys } from '../../sys/native.js';
import { pipe } from '../../sys/pipe.js';
import type { SupervisorFds } from '../supervisor/argv.js';
import { backendOf } from '../runtime-backend/index.js';
import { etcMounts, ociMounts } from '../bundle/mounts.js';
import { buildSpec } from '../bundle/spec.js';
import { resolveUser } from '../bundle/user.js';
import type { ContainerRecord } from '../config/types.js';
import { nativeExecutable, type Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { connectNetwork, disconnectNetwork, isLocalMode, planNetwork, type ContainerNetworkRequest } from '../network-port.js';
import { containerPaths, type ContainerPaths } from '../paths.js';
import { withContainer, withNetworksLock } from '../locks/container-lock.js';
import { appendEvent } from '../store/events.js';
import { liveState, supervisorAlive } from './status.js';
import { UndoStack, withUndoFailures } from '../../undo.js';

/** Rotate the json log at this size, as docker's json-file max-size would. */
const LOG_MAX_SIZE = 10 * 1024 * 1024;

export function networkRequest(engine: Engine, rec: ContainerRecord, hostname: string): ContainerNetworkRequest {
  const h = rec.hostConfig;
  return {
    containerId: rec.id, containerName: rec.name, hostname, mode: h.NetworkMode, ports: h.PortBindings, publishAll: h.PublishAllPorts,
    exposedPorts: Object.keys(rec.config.ExposedPorts ?? {}), dns: h.Dns, dnsSearch: h.DnsSearch, dnsOptions: h.DnsOptions,
    addHosts: h.ExtraHosts, aliases: [], db: engine.images.db,
    hostsPath: containerPaths(engine.root, rec.id).hosts,
    // --network container:NAME|ID joins that container's namespace: it must be running.
    resolveContainer: (ref) => {
      const target = engine.containers.tryResolve(ref);
      if (!target) return undefined;
      return { id: target.id, name: target.name, pid: liveState(engine, target).status === 'running' ? target.pid : 0 };
    },
  };
}

export function hostnameOf(rec: ContainerRecord): string {
  return rec.config.Hostname || rec.id.slice(0, 12);
}

function imageLowerDirs(engine: Engine, imageId: string): string[] {
  const image = engine.images.images.get(imageId);
  return image.layers.map((l) => layerDiffDir(engine.images.paths, l.chainId)).reverse();
}

/** The supervisor's stdio (and its cleanup's) go to a diagnostics file, never to our terminal. */
/** The supervisor reads nothing, prints nothing, and keeps its own complaints in the diagnostics file. */
function supervisorStdio(paths: ContainerPaths, toClose: number[]): Required<StdioFds> {
  const devNull = openSync('/dev/null', 'r+');
  toClose.push(devNull);
  const diagnostics = openSync(paths.diagnostics, 'a');
  toClose.push(diagnostics);
  return { stdin: devNull, stdout: devNull, stderr: diagnostics };
}

interface Fds {
  forContainer: StdioFds;
  forSupervisor: SupervisorFds;
  consoleFd?: number;
  pidWrite: number;
  /** closed after create: the container's and the supervisor's copies are theirs */
  toClose: number[];
}

function openFds(rec: ContainerRecord): Fds {
  const [pidRead, pidWrite] = pipe();
  const toClose = [pidRead];
  if (rec.config.Tty) {
    const [ours, theirs] = sys().socketPair();
    toClose.push(ours, theirs);
    return { forContainer: {}, forSupervisor: { pid: pidRead, console: theirs }, consoleFd: ours, pidWrite, toClose };
  }
  const [outRead, outWrite] = pipe();
  const [errRead, errWrite] = pipe();
  toClose.push(outRead, outWrite, errRead, errWrite);
  const forSupervisor: SupervisorFds = { pid: pidRead, stdout: outRead, stderr: errRead };
  let stdin: number;
  if (rec.config.OpenStdin) {
    const [inRead, inWrite] = pipe();
    toClose.push(inRead, inWrite);
    stdin = inRead;
    forSupervisor.stdin = inWrite;
  } else {
    stdin = openSync('/dev/null', 'r');
    toClose.push(stdin);
  }
  return { forContainer: { stdin, stdout: outWrite, stderr: errWrite }, forSupervisor, pidWrite, toClose };
}

export interface StartOptions {
  /** Wait until the attach socket accepts clients before releasing the init (for a foreground run). */
  waitForAttach?: boolean;
  /** Called after create, before the init is released: the moment to attach. */
  beforeRelease?: (rec: ContainerRecord) => Promise<void>;
  /** Read end of a pipe whose write end the caller keeps: the caller records the exit and cleans up
   * itself, then writes "d"; the supervisor runs the cleanup only if the caller dies first. */
  handoffFd?: number;
}

export function startContainer(engine: Engine, ref: string, opts: StartOptions = {}): Promise<ContainerRecord> {
  return withContainer(engine, ref, (rec) => startLocked(engine, rec, opts));
}

/** `start` for a caller holding the container's lock. */
export async function startLocked(engine: Engine, rec: ContainerRecord, opts: StartOptions = {}): Promise<ContainerRecord> {
  const live = liveState(engine, rec);
  if (live.status === 'running' || live.status === 'paused') return rec;
  if (live.status === 'removing' || live.status === 'dead') throw new EngineError('BAD_STATE', `cannot start container ${rec.name}: it is ${live.status}`, rec.id);
  const paths = containerPaths(engine.root, rec.id);
  // leftovers of a previous run whose cleanup never came (a killed supervisor), or of a start
  // killed midway (a mounted rootfs, a runtime state)
  const backend = backendOf(engine, rec);
  if (live.unrecordedExit || backend.exists(rec.id) || isMountPoint(paths.rootfs)) await teardown(engine, rec);
  const undo = new UndoStack();
  try {
    rmSync(paths.exitFile, { force: true });
    mountSnapshot({ lowerDirs: imageLowerDirs(engine, rec.imageId), upperDir: paths.upper, workDir: paths.work, target: paths.rootfs });
    undo.push(`unmount ${paths.rootfs}`, () => unmountSnapshot(paths.rootfs));
    const user = resolveUser(paths.rootfs, rec.config.User);
    if (rec.config.WorkingDir) mkdirSync(join(paths.rootfs, rec.config.WorkingDir), { recursive: true });
    const hostname = hostnameOf(rec);
    const netReq = networkRequest(engine, rec, hostname);
    const { plan } = await planNetwork(netReq);
    writeContainerFile(rec, paths.hosts, plan.files.hosts);
    writeContainerFile(rec, paths.hostname, plan.files.hostname);
    writeContainerFile(rec, paths.resolvConf, plan.files.resolvConf);
    const spec = buildSpec({
      id: rec.id, config: rec.config, host: rec.hostConfig, hostname, user,
      mounts: [...ociMounts(rec.mounts), ...etcMounts({ hosts: paths.hosts, hostname: paths.hostname, resolvConf: paths.resolvConf }, rec.hostConfig.ReadonlyRootfs)],
      networkNamespaces: plan.namespaces, initBinary: nativeExecutable('init'),
    });
    if (rec.hostConfig.Init && !nativeExecutable('init')) throw new EngineError('START_FAILED', '--init needs build/Release/vessel-init (run npm run build:native)', rec.id);
    writeContainerFile(rec, join(paths.bundle, 'config.json'), JSON.stringify(spec));

    const fds = openFds(rec);
    if (opts.handoffFd !== undefined) fds.forSupervisor.handoff = opts.handoffFd;
    let pid: number;
    try {
      const supervisor = {
        id: rec.id, fds: fds.forSupervisor, logPath: paths.log, logMaxSize: LOG_MAX_SIZE, exitFile: paths.exitFile,
        attachSocket: paths.attachSocket, pidFile: paths.supervisorPidFile,
        onExit: [...engine.cli, '--root', engine.root, 'container', 'cleanup', rec.id],
      };
      const created = backend.create({
        id: rec.id, bundle: paths.bundle, supervisor, supervisorStdio: supervisorStdio(paths, fds.toClose), stdio: fds.forContainer,
        ...(fds.consoleFd !== undefined ? { consoleFd: fds.consoleFd } : {}),
      });
      pid = created.pid;
      undo.push(`delete the runtime's container ${rec.id}`, () => backend.delete(rec.id, true));
      writeSync(fds.pidWrite, `${pid}\n`);
      engine.containers.update(rec.id, { supervisorPid: created.supervisorPid });
    } finally {
      for (const fd of [...fds.toClose, fds.pidWrite]) closeQuietly(fd);
    }
    undo.push('disconnect the network', () => disconnectNetwork(engine.images.db, rec.id, rec.hostConfig.NetworkMode));
    // under the networks lock: a network rm checks for endpoints and removes the bridge as one step
    const networkSettings = isLocalMode(netReq.mode) ? await connectNetwork(netReq, pid) : await withNetworksLock(engine.root, () => connectNetwork(netReq, pid));
    if (opts.waitForAttach || opts.beforeRelease) await waitForSocket(paths.attachSocket);
    const startedAt = new Date().toISOString();
    engine.containers.update(rec.id, { state: 'running', pid, startedAt, finishedAt: null, exitCode: 0, oomKilled: false, stoppedByUser: false, networkSettings });
    if (opts.beforeRelease) await opts.beforeRelease(rec);
    backend.start(rec.id);
    appendEvent(engine.images.db, 'container', 'start', rec.id, { name: rec.name, image: rec.image });
    return engine.containers.get(rec.id);
  } catch (e) {
    const undoFailures = await undo.undo();
    engine.containers.update(rec.id, { state: rec.state === 'created' ? 'created' : 'exited', pid: 0 });
    throw withUndoFailures(e, undoFailures, (message, cause) => new EngineError('START_FAILED', message, rec.id, { cause }));
  }
}

/** ENOSPC names no file: this says which, and for which container. */
function writeContainerFile(rec: ContainerRecord, path: string, data: string): void {
  try {
    writeFileSync(path, data);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOSPC') throw e;
    throw new EngineError('START_FAILED', `cannot start container ${rec.name}: writing ${path}: no space left on device`, rec.id, { cause: e });
  }
}

/** Whether a filesystem is mounted on `path` (the overlay has its own device number). */
function isMountPoint(path: string): boolean {
  try {
    return statSync(path).dev !== statSync(dirname(path)).dev;
  } catch {
    return false;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

async function waitForSocket(path: string): Promise<void> {
  for (let i = 0; i < 400 && !existsSync(path); i++) await sleep(5);
}

/** Everything a run leaves in the kernel and on disk except the container's own files; idempotent. */
export async function teardown(engine: Engine, rec: ContainerRecord): Promise<void> {
  const paths = containerPaths(engine.root, rec.id);
  const errors: unknown[] = [];
  const attempt = async (step: () => void | Promise<void>) => {
    try {
      await step();
    } catch (e) {
      errors.push(e);
    }
  };
  await attempt(() => backendOf(engine, rec).delete(rec.id, true));
  await attempt(() => killSupervisor(rec.supervisorPid));
  await attempt(() => unmountSnapshot(paths.rootfs));
  // the init is gone (deleteContainer killed it): unless a `container:` partner still runs in its
  // network namespace, the namespace is ending and takes the veth pairs with it
  await attempt(() => disconnectNetwork(engine.images.db, rec.id, rec.hostConfig.NetworkMode, { namespaceEnded: !networkNamespaceShared(engine, rec) }));
  await attempt(() => rmSync(paths.attachSocket, { force: true }));
  if (errors.length) throw new EngineError('CLEANUP_FAILED', `cleaning up container ${rec.id}: ${(errors[0] as Error).message}`, rec.id, { cause: errors[0] });
}

/** Whether another running container joined this one's network namespace (--network container:). */
function networkNamespaceShared(engine: Engine, rec: ContainerRecord): boolean {
  return engine.containers.list().some((c) => {
    const mode = c.hostConfig.NetworkMode;
    if (c.id === rec.id || !mode.startsWith('container:')) return false;
    const status = liveState(engine, c).status;
    return engine.containers.tryResolve(mode.slice('container:'.length))?.id === rec.id && (status === 'running' || status === 'paused');
  });
}

/** A supervisor whose container is gone has nothing left to do; one left running would hold pipes. */
function killSupervisor(pid: number): void {
  if (!supervisorAlive(pid)) return;
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
