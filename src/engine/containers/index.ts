// The containers of an engine root, in the Docker Engine API's own types: what `vessel` and a
// future `vessel serve` both call. Each method wraps the lifecycle function that does the work;
// modules that only some calls need (logs, stats, copy, export) load on first use, so a `run`
// that never touches them never pays for them.
import { existsSync } from 'node:fs';
import type {
  ContainerCreateResponse,
  ContainerInspectResponse,
  ContainerPruneResponse,
  ContainerSummary,
  ContainerTopResponse,
  ContainerWaitResponse,
  FilesystemChange,
} from '../api-types.js';
import { buildConfigs } from '../config/request.js';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { createContainer } from '../lifecycle/create.js';
import { inspectContainer } from '../lifecycle/inspect.js';
import { removeContainer } from '../lifecycle/remove.js';
import { renameContainer } from '../lifecycle/rename.js';
import { startContainer, type StartOptions } from '../lifecycle/start.js';
import { liveState } from '../lifecycle/status.js';
import { containerPaths } from '../paths.js';
import { killContainer, pauseContainer, restartContainer, stopContainer, waitForExit } from '../lifecycle/stop.js';
import type { LogEntry } from '../supervisor/logs.js';
import { attachRunning, type AttachOptions, type ContainerSession, type SessionStreams } from '../sessions/attach.js';
import { startAttached, type RunSession } from '../sessions/run.js';
import type { ExecOptions, ExecSession, ExecStreams } from '../sessions/exec.js';
import { requestFromBody, type CreateBody } from './create-body.js';
import { validateCreate } from './validate.js';

export type { CreateBody } from './create-body.js';
export type { LogEntry } from '../supervisor/logs.js';
export type { AttachOptions, ContainerSession, SessionStreams } from '../sessions/attach.js';
export type { RunSession } from '../sessions/run.js';
export type { ExecOptions, ExecSession, ExecStreams } from '../sessions/exec.js';

export interface ListOptions {
  /** stopped containers too (`ps -a`) */
  all?: boolean;
  /** the N most recently created, of every state */
  limit?: number;
  /** docker's filter map: `{ status: ['running'], label: ['a=b'], name: ['web'], id: ['abc'] }` */
  filters?: Record<string, string[]>;
}

export interface LogsOptions {
  follow?: boolean;
  stdout?: boolean;
  stderr?: boolean;
  tail?: number;
  since?: Date | string;
  until?: Date | string;
  timestamps?: boolean;
  signal?: AbortSignal;
}

export interface RemoveOptions {
  force?: boolean;
  /** remove its anonymous volumes too */
  volumes?: boolean;
}

type WaitCondition = 'not-running' | 'next-exit' | 'removed';

const ACTIVE = new Set(['running', 'paused', 'restarting']);

/** docker's change kinds in the Engine API: 0 modified, 1 added, 2 deleted. */
const CHANGE_KIND = { C: 0, A: 1, D: 2 } as const;

type SummaryFilter = (c: ContainerRecord, state: string) => boolean;
const FILTERS: Record<string, (v: string) => SummaryFilter> = {
  status: (v) => (_c, s) => s === v,
  name: (v) => (c) => c.name.includes(v.replace(/^\//, '')),
  id: (v) => (c) => c.id.startsWith(v),
  label: (v) => (c) => {
    const [k, val] = v.split('=', 2) as [string, string | undefined];
    return k in c.config.Labels && (val === undefined || c.config.Labels[k] === val);
  },
  ancestor: (v) => (c) => c.image === v || c.image === `${v}:latest` || c.imageId.includes(v),
  exited: (v) => (c, s) => s === 'exited' && c.exitCode === Number(v),
};

export class Containers {
  constructor(private readonly engine: () => Engine) {}

  /** Checks every option, then records the container. A create that fails leaves nothing. */
  async create(body: CreateBody): Promise<ContainerCreateResponse> {
    const engine = this.engine();
    const { req, warnings } = requestFromBody(body);
    const image = engine.images.images.resolve(req.image);
    const imageConfig = JSON.parse(image.config.toString('utf8')) as { config?: Parameters<typeof buildConfigs>[1] };
    const { config, hostConfig } = buildConfigs(req, imageConfig.config ?? {});
    await validateCreate(engine, config, hostConfig, req.ip ? { ip: req.ip } : {});
    const rec = await createContainer(engine, req);
    return { Id: rec.id, Warnings: [...warnings, ...engine.warnings.splice(0)] };
  }

  /** docker's inspect view. (PortBindings is still the `-p` list vessel stores, until it keeps docker's map.) */
  inspect(ref: string): ContainerInspectResponse {
    const engine = this.engine();
    return inspectContainer(engine, engine.containers.resolve(ref)) as unknown as ContainerInspectResponse;
  }

  /** The record the engine keeps (for front ends that need more than docker's views). */
  record(ref: string): ContainerRecord {
    return this.engine().containers.resolve(ref);
  }

  list(opts: ListOptions = {}): ContainerSummary[] {
    const engine = this.engine();
    const tests = Object.entries(opts.filters ?? {}).flatMap(([key, values]) => {
      const make = FILTERS[key];
      if (!make) throw new EngineError('INVALID_OPTION', `invalid filter '${key}'`, key);
      return values.map(make);
    });
    // a filter looks at every state, as docker's does
    const all = opts.all || (opts.limit ?? 0) > 0 || tests.length > 0;
    let rows = engine.containers.list().map((c) => ({ c, state: liveState(engine, c) }));
    rows = rows.filter(({ c, state }) => (all || ACTIVE.has(state.status)) && tests.every((t) => t(c, state.status)));
    if (opts.limit && opts.limit > 0) rows = rows.slice(0, opts.limit);
    return rows.map(({ c, state }) => summary(c, state.status, state.exitCode, state.finishedAt));
  }

  async start(ref: string, opts: StartOptions = {}): Promise<void> {
    await startContainer(this.engine(), ref, opts);
  }

  /** Starts a created container in the foreground with `streams` attached from its first byte
   * (`run` without -d, `start -a`). `autoRemove`: remove it if the start fails. */
  startAttached(ref: string, streams: SessionStreams, opts: AttachOptions & { autoRemove?: boolean } = {}): Promise<RunSession> {
    const engine = this.engine();
    return startAttached(engine, engine.containers.resolve(ref).id, streams, opts);
  }

  /** Attaches `streams` to a running container (`attach`). */
  attach(ref: string, streams: SessionStreams, opts: AttachOptions = {}): Promise<ContainerSession> {
    return attachRunning(this.engine(), ref, streams, opts);
  }

  /** Runs another process in a running container (`exec`); see ExecSession for its stdio. */
  async exec(ref: string, opts: ExecOptions, streams: ExecStreams): Promise<ExecSession> {
    const { execSession } = await import('../sessions/exec.js');
    return execSession(this.engine(), ref, opts, streams);
  }

  async stop(ref: string, opts: { timeout?: number } = {}): Promise<void> {
    await stopContainer(this.engine(), ref, opts.timeout);
  }

  async restart(ref: string, opts: { timeout?: number } = {}): Promise<void> {
    await restartContainer(this.engine(), ref, opts.timeout);
  }

  kill(ref: string, signal = 'SIGKILL'): void {
    killContainer(this.engine(), ref, signal);
  }

  pause(ref: string): void {
    pauseContainer(this.engine(), ref, true);
  }

  unpause(ref: string): void {
    pauseContainer(this.engine(), ref, false);
  }

  /** Returns the id of the container removed. */
  remove(ref: string, opts: RemoveOptions = {}): Promise<string> {
    return removeContainer(this.engine(), ref, opts);
  }

  rename(ref: string, name: string): void {
    renameContainer(this.engine(), ref, name);
  }

  /** Blocks until the container is not running (docker's default condition) and gives its code. */
  async wait(ref: string, opts: { condition?: WaitCondition } = {}): Promise<ContainerWaitResponse> {
    const engine = this.engine();
    const rec = engine.containers.resolve(ref);
    if (opts.condition === 'next-exit') {
      while (!ACTIVE.has(liveState(engine, engine.containers.get(rec.id)).status)) await new Promise((r) => setTimeout(r, 20));
    }
    const code = await waitForExit(engine, rec.id);
    if (opts.condition === 'removed') while (engine.containers.find(rec.id)) await new Promise((r) => setTimeout(r, 20));
    return { StatusCode: code ?? 0 };
  }

  /** The container's output, as the json-file log keeps it; with `follow`, until it stops. */
  async *logs(ref: string, opts: LogsOptions = {}): AsyncGenerator<LogEntry> {
    const engine = this.engine();
    const rec = engine.containers.resolve(ref);
    const { readLogs } = await import('../supervisor/logs.js');
    const paths = containerPaths(engine.root, rec.id);
    const stopWhen = () => {
      const now = engine.containers.find(rec.id);
      return !now || !ACTIVE.has(liveState(engine, now).status) || existsSync(paths.exitFile);
    };
    const wantOut = opts.stdout ?? true;
    const wantErr = opts.stderr ?? true;
    const entries = readLogs(paths.log, {
      follow: opts.follow ?? false,
      ...(opts.tail !== undefined && opts.tail >= 0 ? { tail: opts.tail } : {}),
      ...(opts.since ? { since: opts.since } : {}),
      ...(opts.until ? { until: opts.until } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
      timestamps: opts.timestamps ?? false,
      stopWhen,
    });
    for await (const e of entries) if (e.stream === 'stdout' ? wantOut : wantErr) yield e;
  }

  async top(ref: string, psArgs: string[] = []): Promise<ContainerTopResponse> {
    const { containerTop } = await import('../lifecycle/top.js');
    return containerTop(this.engine(), ref, psArgs);
  }

  /** One sample of the container's usage (CPU time, memory, network, block I/O, pids). */
  async stats(ref: string): Promise<import('../stats/sample.js').StatsSample> {
    const engine = this.engine();
    const { sampleStats } = await import('../stats/sample.js');
    return sampleStats(engine, engine.containers.resolve(ref));
  }

  async changes(ref: string): Promise<FilesystemChange[]> {
    const { containerChanges } = await import('../fs/diff.js');
    return containerChanges(this.engine(), ref).map((c) => ({ Path: c.path, Kind: CHANGE_KIND[c.kind] }));
  }

  /** The container's root file system as a tar stream written to `out`. */
  async export(ref: string, out: NodeJS.WritableStream): Promise<void> {
    const { exportContainer } = await import('../fs/export.js');
    await exportContainer(this.engine(), ref, out);
  }

  /** `docker cp CONTAINER:PATH -`: a path of the container as a tar stream (or into a host path). */
  async getArchive(ref: string, path: string, dest: { stream: NodeJS.WritableStream } | { path: string }, opts: { archive?: boolean; followLink?: boolean } = {}): Promise<void> {
    const { copyFromContainer } = await import('../fs/copy.js');
    await copyFromContainer(this.engine(), ref, path, dest, opts);
  }

  /** `docker cp - CONTAINER:PATH`: a tar stream (or a host path) into the container. */
  async putArchive(ref: string, source: { stream: NodeJS.ReadableStream } | { path: string }, path: string, opts: { archive?: boolean; followLink?: boolean } = {}): Promise<void> {
    const { copyToContainer } = await import('../fs/copy.js');
    await copyToContainer(this.engine(), ref, source, path, opts);
  }

  async commit(ref: string, opts: import('../fs/commit.js').CommitOptions = {}): Promise<{ Id: string }> {
    const { commitContainer } = await import('../fs/commit.js');
    return { Id: (await commitContainer(this.engine(), ref, opts)).id };
  }

  async port(ref: string, privatePort?: string): Promise<import('../lifecycle/ports.js').PortMappingLine[]> {
    const { containerPortMappings } = await import('../lifecycle/ports.js');
    return containerPortMappings(this.engine(), ref, privatePort);
  }

  /** Removes every stopped container; `filters`: docker's `label=k[=v]` and `label!=k[=v]` filters. */
  async prune(opts: { filters?: string[] } = {}): Promise<ContainerPruneResponse> {
    const [{ pruneContainers }, { labelFilter }] = await Promise.all([import('../prune.js'), import('../volumes.js')]);
    const report = await pruneContainers(this.engine(), labelFilter(opts.filters ?? []));
    return { ContainersDeleted: report.deleted, SpaceReclaimed: report.spaceReclaimed };
  }
}

function summary(c: ContainerRecord, state: string, exitCode: number, finishedAt: string | null): ContainerSummary {
  const cmd = [...(c.config.Entrypoint ?? []), ...(c.config.Cmd ?? [])].join(' ');
  const networks = ((c.networkSettings as { Networks?: Record<string, unknown> } | null)?.Networks ?? {}) as NonNullable<ContainerSummary['NetworkSettings']>['Networks'];
  return {
    Id: c.id,
    Names: [`/${c.name}`],
    Image: c.image,
    ImageID: c.imageId,
    Command: cmd,
    Created: Math.floor(Date.parse(c.createdAt) / 1000),
    Ports: [],
    Labels: c.config.Labels,
    State: state as ContainerSummary['State'],
    Status: statusText(state, exitCode, c.startedAt, finishedAt),
    HostConfig: { NetworkMode: c.hostConfig.NetworkMode },
    NetworkSettings: { Networks: networks },
    Mounts: c.mounts as ContainerSummary['Mounts'],
  };
}

/** docker's Status column: "Up 5 minutes", "Exited (0) 2 seconds ago". */
function statusText(state: string, exitCode: number, startedAt: string | null, finishedAt: string | null): string {
  const ago = (t: string | null) => Math.max(0, (Date.now() - Date.parse(t ?? new Date().toISOString())) / 1000);
  const table: Record<string, () => string> = {
    created: () => 'Created',
    running: () => `Up ${humanDuration(ago(startedAt))}`,
    paused: () => `Up ${humanDuration(ago(startedAt))} (Paused)`,
    restarting: () => `Restarting (${exitCode}) ${humanDuration(ago(finishedAt))} ago`,
    exited: () => `Exited (${exitCode}) ${humanDuration(ago(finishedAt))} ago`,
    removing: () => 'Removal In Progress',
    dead: () => 'Dead',
  };
  return (table[state] ?? (() => state))();
}

/** go-units' HumanDuration, as docker prints it. */
function humanDuration(seconds: number): string {
  if (seconds < 1) return 'Less than a second';
  if (seconds === 1) return '1 second';
  if (seconds < 60) return `${Math.floor(seconds)} seconds`;
  const minutes = Math.floor(seconds / 60);
  if (minutes === 1) return 'About a minute';
  if (minutes < 60) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours === 1) return 'About an hour';
  if (hours < 48) return `${hours} hours`;
  if (hours < 24 * 7 * 2) return `${Math.floor(hours / 24)} days`;
  if (hours < 24 * 30 * 2) return `${Math.floor(hours / 24 / 7)} weeks`;
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24 / 30)} months`;
  return `${Math.floor(hours / 24 / 365)} years`;
}
