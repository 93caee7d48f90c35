// Where a container's cgroup lives inside each hierarchy.
import { posix } from 'node:path';
import { CgroupError } from './errors.js';

export const VESSEL_PARENT = '/vessel';

/** undefined -> "/vessel/<id>"; relative -> "/vessel/<relative>"; absolute is kept. */
export function resolveCgroupPath(cgroupsPath: string | undefined, containerId: string): string {
  const raw = cgroupsPath === undefined || cgroupsPath === '' ? containerId : cgroupsPath;
  const joined = raw.startsWith('/') ? raw : `${VESSEL_PARENT}/${raw}`;
  const normal = posix.normalize(joined).replace(/\/+$/, '');
  // ".." climbing out of the parent would make a container share (or remove) someone else's cgroup
  if (normal === '' || normal === '/' || raw.split('/').includes('..')) {
    throw new CgroupError('CGROUP_INVALID', `cgroupsPath ${JSON.stringify(raw)} does not name a cgroup of its own`, raw);
  }
  return normal;
}

/** "/a/b/c" -> ["/a", "/a/b", "/a/b/c"] */
export function pathPrefixes(path: string): string[] {
  const parts = path.split('/').filter(Boolean);
  return parts.map((_, i) => '/' + parts.slice(0, i + 1).join('/'));
}
