// vessel as a library: the package's entry (`import { openVessel } from 'vessel'`). One facade over
// an engine root, with the Docker Engine API's own request and response types. See docs/library.md.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Vessel, type VesselOptions } from './vessel.js';

export { Vessel, DEFAULT_ROOT, type VesselOptions } from './vessel.js';
export type { Containers, CreateBody, ListOptions, LogsOptions, RemoveOptions, LogEntry, AttachOptions, ContainerSession, SessionStreams, RunSession, ExecOptions, ExecSession, ExecStreams } from './containers/index.js';
export type { Images, RegistryOptions, PullResult, SaveFormat, ProgressEvent } from './images/index.js';
export type { Networks, NetworkCreateOptions, NetworkSummary, NetworkInspect } from './networks/index.js';
export type { Volumes } from './facade/volumes.js';
export type { System, SystemInfo, VersionInfo, DiskUsage, SystemPruneReport, ResetReport } from './facade/system.js';
export { eventMessage, type Events, type EventsOptions, type EngineEvent } from './facade/events.js';
export { parseDetachKeys, DEFAULT_DETACH_KEYS } from './sessions/attach.js';
export { VesselError, isVesselError, statusOf, HTTP_STATUS, type ErrorStatus } from '../vessel-error.js';
export type * from './api-types.js';

/**
 * The vessel CLI beside this library build (dist/vessel.cjs): a container's supervisor runs its
 * `container cleanup` when the container exits with nobody waiting for it.
 */
function bundledCli(): string[] | undefined {
  const cli = fileURLToPath(new URL('./vessel.cjs', import.meta.url));
  return existsSync(cli) ? [process.execPath, cli] : undefined;
}

/** Opens the engine at `root` (default /var/lib/vessel). Nothing is read until the first call. */
export function openVessel(options: VesselOptions = {}): Vessel {
  const cli = options.cli ?? bundledCli();
  return new Vessel({ ...options, ...(cli ? { cli } : {}) });
}
