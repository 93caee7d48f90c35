// `update`: change a running container's resource limits, and remember them in its state.
import { parseByteSize } from '../../byte-size.js';
import type { LinuxResources } from '../../oci/spec.js';
import { containerCgroup } from '../cgroup.js';
import type { RuntimeContext } from '../context.js';
import { RuntimeError } from '../errors.js';
import { containerStatus, requireStatus } from '../status.js';

export function update(ctx: RuntimeContext, id: string, resources: LinuxResources): string[] {
  const record = ctx.store.read(id);
  requireStatus(id, containerStatus(ctx.store, record), ['created', 'running', 'paused'], 'update');
  const cgroup = containerCgroup(record);
  cgroup.apply(resources);
  const linux = (record.config.linux ??= {});
  linux.resources = mergeResources(linux.resources ?? {}, resources);
  ctx.store.write(record);
  return cgroup.notices();
}

function mergeResources(base: LinuxResources, change: LinuxResources): LinuxResources {
  const out: LinuxResources = { ...base };
  for (const [key, value] of Object.entries(change) as [keyof LinuxResources, unknown][]) {
    if (value === undefined) continue;
    const old = base[key];
    (out as Record<string, unknown>)[key] =
      old && typeof old === 'object' && !Array.isArray(old) && typeof value === 'object' && !Array.isArray(value) ? { ...old, ...value } : value;
  }
  return out;
}

/** A size flag of `update` ("512m", "1g", "1048576", "-1" for unlimited) in bytes. */
export function parseSizeFlag(text: string, flag: string): number {
  const bytes = parseByteSize(text);
  if (bytes === null) throw new RuntimeError('USAGE', `${flag}: "${text}" is not a size (e.g. 512m, 1g, or bytes)`);
  return bytes;
}
