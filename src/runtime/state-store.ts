// The runtime's state directory: one directory per container holding state.json (written
// atomically), the exec fifo, and the state file handed to hooks.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Spec } from '../oci/spec.js';
import { RuntimeError } from './errors.js';
import { sys } from '../sys/native.js';
import { inUserNamespace } from '../rootless/identity.js';
import { userRuntimeDir } from '../rootless/user-dirs.js';

/** root's state directory; an ordinary user's is vessel-runtime in its runtime directory (as runc's). */
export const DEFAULT_STATE_ROOT = '/run/vessel-runtime';

/**
 * As runc decides: a user's runtime directory for an ordinary user, and for a user's "root" inside
 * a user namespace (rootless podman runs the runtime so, with XDG_RUNTIME_DIR and USER kept).
 */
export function defaultStateRoot(env: NodeJS.ProcessEnv = process.env): string {
  const userRoot = process.geteuid!() !== 0 || (Boolean(env.XDG_RUNTIME_DIR) && env.USER !== 'root' && inUserNamespace());
  return userRoot ? join(userRuntimeDir(env), 'vessel-runtime') : DEFAULT_STATE_ROOT;
}
export const EXEC_FIFO = 'exec.fifo';
const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_+.-]{0,1023}$/;

/** What the runtime remembers about a container between invocations. */
export interface ContainerRecord {
  ociVersion: string;
  id: string;
  bundle: string;
  rootfs: string;
  /** The container's init process, in the host's pid namespace; 0 while creating. */
  pid: number;
  /** Field 22 of /proc/PID/stat when the container was created: tells a reused pid apart. */
  pidStartTime: string;
  created: string;
  owner: string;
  annotations: Record<string, string>;
  cgroupPath: string;
  /** "creating" until the init process reported it is ready; then "created". */
  stage: 'creating' | 'created';
  /** The engine's supervisor, when one is the parent of the init process. */
  supervisorPid?: number;
  config: Spec;
}

export function validateId(id: string): void {
  if (!ID_PATTERN.test(id)) {
    throw new RuntimeError('INVALID_ID', `invalid container id "${id}": use letters, digits, and _ + . - (not starting with a symbol)`, id);
  }
}

export class StateStore {
  constructor(readonly root: string = defaultStateRoot()) {}

  dir(id: string): string {
    return join(this.root, id);
  }

  /** Claims the id: creating its directory is atomic, so two creates cannot both succeed. */
  reserve(id: string): string {
    validateId(id);
    // 0700 as runc's: other users must not reach a container's exec fifo or state (the fifo is opened by fd).
    mkdirSync(this.root, { recursive: true, mode: 0o700 });
    const dir = this.dir(id);
    try {
      mkdirSync(dir, { mode: 0o711 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') throw new RuntimeError('ALREADY_EXISTS', `container "${id}" already exists`, id);
      throw e;
    }
    return dir;
  }

  write(record: ContainerRecord): void {
    writeAtomic(join(this.dir(record.id), 'state.json'), JSON.stringify(record));
  }

  read(id: string): ContainerRecord {
    validateId(id);
    let text: string;
    try {
      text = readFileSync(join(this.dir(id), 'state.json'), 'utf8');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        throw new RuntimeError('NOT_FOUND', `container "${id}" does not exist`, id);
      }
      throw e;
    }
    return JSON.parse(text) as ContainerRecord;
  }

  exists(id: string): boolean {
    return existsSync(this.dir(id));
  }

  ids(): string[] {
    try {
      return readdirSync(this.root).filter((name) => existsSync(join(this.root, name, 'state.json')));
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
  }

  remove(id: string): void {
    sys().removeTree(this.dir(id));
  }
}

export function writeAtomic(path: string, data: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data, { mode: 0o600 });
  renameSync(tmp, path);
}
