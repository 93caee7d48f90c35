// Where an ordinary user's per-user state goes, as podman chooses it: runtime state (sockets,
// container state that must vanish at reboot) in $XDG_RUNTIME_DIR, else /run/user/UID when the
// user owns it, else a private directory in the temporary directory; data in $XDG_DATA_HOME, else
// ~/.local/share.
import { VesselError } from '../vessel-error.js';
import { lstatSync, mkdirSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';

export class UserDirError extends VesselError {
  override name = 'UserDirError';
  readonly code = 'USER_DIR';
  constructor(message: string, readonly path: string) {
    super(message, { status: 'system', object: path });
  }
}

function ownedDirectory(path: string, uid: number): boolean {
  try {
    const st = statSync(path);
    return st.isDirectory() && st.uid === uid;
  } catch {
    return false;
  }
}

/** The user's runtime directory (never used for root, whose state lives under /run). */
export function userRuntimeDir(env: NodeJS.ProcessEnv = process.env, uid = process.geteuid!()): string {
  if (env.XDG_RUNTIME_DIR) return env.XDG_RUNTIME_DIR;
  const run = `/run/user/${uid}`;
  if (ownedDirectory(run, uid)) return run;
  const fallback = join(tmpdir(), `vessel-run-${uid}`);
  try {
    mkdirSync(fallback, { mode: 0o700 });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
  }
  // Anyone can create names in /tmp: use the directory only if it is ours and not a symlink.
  const st = lstatSync(fallback);
  if (!st.isDirectory() || st.uid !== uid || (st.mode & 0o077) !== 0) {
    throw new UserDirError(`${fallback} is not a private directory of uid ${uid}: set XDG_RUNTIME_DIR to a directory of your own`, fallback);
  }
  return fallback;
}

/** The user's data directory ($XDG_DATA_HOME, else ~/.local/share). */
export function userDataDir(env: NodeJS.ProcessEnv = process.env): string {
  return env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
}
