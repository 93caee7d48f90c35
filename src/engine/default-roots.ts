// Where an engine keeps its state when no --root is given. root: /var/lib/vessel, with the runtime
// state inside it (as today). An ordinary user, as podman chooses its own: the data (database,
// images, containers) in $XDG_DATA_HOME/vessel (else ~/.local/share/vessel), and what must not
// outlive a reboot (runtime state, the API socket) in $XDG_RUNTIME_DIR/vessel (else /run/user/UID,
// else a private directory in the temporary directory). Nothing here is root's or another user's.
import { join } from 'node:path';
import { DEFAULT_ROOT } from '../image/store/paths.js';
import { userDataDir, userRuntimeDir } from '../rootless/user-dirs.js';

export interface DefaultRoots {
  /** The engine's root: database, image store, containers, volumes. */
  root: string;
  /** Runtime state that must not survive a reboot; undefined: inside `root` (root's layout). */
  runRoot?: string;
  /** Where `vessel serve` listens by default. */
  socket: string;
  rootless: boolean;
}

export function defaultRoots(env: NodeJS.ProcessEnv = process.env, euid = process.geteuid!()): DefaultRoots {
  if (euid === 0) return { root: DEFAULT_ROOT, socket: '/run/vessel/vessel.sock', rootless: false };
  const runRoot = join(userRuntimeDir(env, euid), 'vessel');
  return { root: join(userDataDir(env), 'vessel'), runRoot, socket: join(runRoot, 'vessel.sock'), rootless: true };
}
