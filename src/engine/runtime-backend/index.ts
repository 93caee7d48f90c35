// Which runtime a container runs under (HostConfig.Runtime): vessel's own in-process, or an OCI
// runtime's command line. Names are checked when the container is created.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';
import type { Engine } from '../engine.js';
import { containerPaths } from '../paths.js';
import { BUILTIN_RUNTIME, builtinBackend } from './builtin.js';
import { RuntimeBackendError } from './errors.js';
import { externalBackend } from './external.js';
import type { RuntimeBackend } from './types.js';

export { BUILTIN_RUNTIME } from './builtin.js';
export { RuntimeBackendError, type RuntimeBackendErrorCode } from './errors.js';
export type { BackendContainer, BackendCreateRequest, BackendCreated, BackendExecRequest, BackendStatus, RuntimeBackend } from './types.js';

interface KnownRuntime {
  program: string;
  /** The newest spec version the runtime accepts in config.json, when older than the engine's. */
  specVersion?: string;
}

/** The external runtimes we know, by name. crun (up to 1.8 at least) refuses a 1.2 config. */
const EXTERNAL_RUNTIMES: Record<string, KnownRuntime> = { runc: { program: 'runc' }, crun: { program: 'crun', specVersion: '1.1.0' } };

const SEARCH_PATH = ['/usr/local/sbin', '/usr/local/bin', '/usr/sbin', '/usr/bin', '/sbin', '/bin'];

export const RUNTIME_NAMES: readonly string[] = [BUILTIN_RUNTIME, ...Object.keys(EXTERNAL_RUNTIMES)];

function executable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The runtime's program: $PATH first, then the usual system directories. */
export function runtimeBinary(name: string): string {
  const program = EXTERNAL_RUNTIMES[name]?.program;
  if (program === undefined) throw new RuntimeBackendError('UNKNOWN_RUNTIME', `unknown or invalid runtime name: ${name}`, name);
  const dirs = [...(process.env.PATH ?? '').split(':').filter(Boolean), ...SEARCH_PATH];
  const found = dirs.map((d) => join(d, program)).find(executable);
  if (!found) throw new RuntimeBackendError('RUNTIME_NOT_FOUND', `runtime ${name}: ${program} is not installed (not found in ${[...new Set(dirs)].join(':')})`, name);
  return found;
}

/** Throws unless `name` is a runtime this engine can run containers with. */
export function checkRuntime(name: string): void {
  if (name !== BUILTIN_RUNTIME) runtimeBinary(name);
}

/** The runtime's state dir under the engine root: <root>/runtime-<name>. */
export function externalStateRoot(root: string, name: string): string {
  return join(root, `runtime-${name}`);
}

export function runtimeBackend(engine: Engine, name: string): RuntimeBackend {
  if (name === BUILTIN_RUNTIME) return builtinBackend(engine.runtime);
  const known = EXTERNAL_RUNTIMES[name];
  if (known === undefined) throw new RuntimeBackendError('UNKNOWN_RUNTIME', `unknown or invalid runtime name: ${name}`, name);
  let binary: string | undefined;
  return externalBackend({
    name, binary: () => (binary ??= runtimeBinary(name)), stateRoot: externalStateRoot(engine.root, name),
    bundleOf: (id) => containerPaths(engine.root, id).bundle,
    ...(known.specVersion ? { specVersion: known.specVersion } : {}),
  });
}

/** The backend of the container's runtime (older records have none: vessel's own). */
export function backendOf(engine: Engine, rec: { hostConfig: { Runtime?: string } }): RuntimeBackend {
  return runtimeBackend(engine, rec.hostConfig.Runtime || BUILTIN_RUNTIME);
}
