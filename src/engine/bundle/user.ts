// `-u name[:group]` for `run` and `exec`: the runtime's lookup over the container's own files.
import { lookupUser, userFiles } from '../../runtime/user-lookup.js';
import type { User } from '../../oci/spec.js';
import { EngineError } from '../errors.js';

export interface ResolvedUser {
  user: User;
  home: string;
}

/** `spec` is "", "name", "uid", "name:group", "uid:gid", …; "" means root. `rootfs` is the container's root. */
export function resolveUser(rootfs: string, spec: string): ResolvedUser {
  const found = lookupUser(spec, userFiles(rootfs));
  if (!found.ok) throw new EngineError('NO_SUCH_USER', found.message, found.name);
  return { user: found.user, home: found.home };
}
