// `volume create|inspect|rm|prune`: named volumes over the VolumeStore, with the usage checks the
// store leaves to its callers.
import { dirname } from 'node:path';
import { treeSize } from './disk-usage.js';
import type { Engine } from './engine.js';
import { EngineError } from './errors.js';
import { appendEvent } from './store/events.js';
import type { VolumeRecord } from './store/volumes.js';

const ANONYMOUS = /^[0-9a-f]{64}$/;

export function createVolume(engine: Engine, name: string | undefined, labels: Record<string, string> = {}): VolumeRecord {
  const v = engine.volumes.ensure(name, labels);
  appendEvent(engine.images.db, 'volume', 'create', v.Name, { driver: v.Driver });
  return v;
}

/** Refused while a container uses it, even with `force` (as docker does); `force` ignores a missing volume. */
export function removeVolume(engine: Engine, name: string, opts: { force?: boolean } = {}): void {
  let v: VolumeRecord;
  try {
    v = engine.volumes.get(name);
  } catch (e) {
    if (opts.force && (e as EngineError).code === 'NO_SUCH_VOLUME') return;
    throw e;
  }
  const users = engine.containers.usingVolume(v.Name);
  if (users.length) throw new EngineError('VOLUME_IN_USE', `remove ${v.Name}: volume is in use - [${users.join(', ')}]`, v.Name);
  engine.volumes.remove(v.Name);
  appendEvent(engine.images.db, 'volume', 'destroy', v.Name, { driver: v.Driver });
}

export interface PruneReport {
  deleted: string[];
  spaceReclaimed: number;
}

export type LabelFilter = (labels: Record<string, string>) => boolean;

/** Unused volumes: anonymous ones only unless `all`, as docker since 23.0. */
export function pruneVolumes(engine: Engine, opts: { all?: boolean; filter?: LabelFilter } = {}): PruneReport {
  const report: PruneReport = { deleted: [], spaceReclaimed: 0 };
  for (const v of engine.volumes.list()) {
    if (!opts.all && !ANONYMOUS.test(v.Name)) continue;
    if (opts.filter && !opts.filter(v.Labels)) continue;
    if (engine.containers.usingVolume(v.Name).length) continue;
    const size = treeSize(dirname(v.Mountpoint));
    removeVolume(engine, v.Name);
    report.deleted.push(v.Name);
    report.spaceReclaimed += size;
  }
  return report;
}

/** docker's `label=KEY`, `label=KEY=VALUE`, `label!=…` filters. */
export function labelFilter(specs: string[]): LabelFilter | undefined {
  const tests = specs.map((spec) => {
    const m = /^label(!?)=([^=]+)(?:=(.*))?$/.exec(spec);
    if (!m) throw new EngineError('INVALID_OPTION', `invalid filter '${spec}'`, spec);
    const [, negate, key, value] = m as unknown as [string, string, string, string | undefined];
    const match = (l: Record<string, string>) => key in l && (value === undefined || l[key] === value);
    return negate ? (l: Record<string, string>) => !match(l) : match;
  });
  return tests.length ? (l) => tests.every((t) => t(l)) : undefined;
}
