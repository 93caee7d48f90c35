// v2 unified: raw "file: value" pairs from linux.resources.unified, written last so they win.
import type { ApplyContext } from '../controller.js';
import { CgroupError } from '../errors.js';

export function applyUnified(ctx: ApplyContext, unified: Record<string, string>): void {
  for (const [key, value] of Object.entries(unified)) {
    // a key is a file of this cgroup, never a path out of it
    if (key.includes('/') || key.startsWith('.') || !key.includes('.')) {
      throw new CgroupError('CGROUP_INVALID', `linux.resources.unified key ${JSON.stringify(key)} is not a cgroup file name`, ctx.dir.path, value);
    }
    if (!ctx.dir.has(key)) {
      throw new CgroupError('CGROUP_UNSUPPORTED', `linux.resources.unified: ${ctx.dir.file(key)} does not exist (controller not enabled or unknown file)`, ctx.dir.file(key), value);
    }
    ctx.dir.write(key, value);
  }
}
