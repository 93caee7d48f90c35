// Cgroup file access as --trace sees it: every directory made or removed and every control file
// written, with its value. Reads are not steps: they change nothing in the kernel.
import type { Tracer } from '../trace/tracer.js';
import { errnoCode } from './errors.js';
import type { CgroupFs } from './files.js';

export function tracedCgroupFs(fs: CgroupFs, tracer: Tracer): CgroupFs {
  return {
    ...fs,
    write: (path, data) => tracer.span('cgroup', 'write', `${path} = ${data.trim()}`, () => fs.write(path, data)),
    // an ancestor that exists already (vessel's parent) is no failure: create() expects it
    mkdir: (path) => tracer.span('cgroup', 'mkdir', (made) => (made ? path : `${path} (exists)`), () => mkdirOrExists(fs, path)),
    rmdir: (path) => tracer.span('cgroup', 'rmdir', path, () => fs.rmdir(path)),
  };
}

function mkdirOrExists(fs: CgroupFs, path: string): boolean {
  try {
    fs.mkdir(path);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'EEXIST') return false;
    throw e;
  }
}
