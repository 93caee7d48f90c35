// Named and anonymous volumes, in docker's Volume shape.
import type { Volume, VolumePruneResponse } from '../api-types.js';
import type { Engine } from '../engine.js';
import { createVolume, labelFilter, pruneVolumes, removeVolume } from '../volumes.js';
import type { VolumeRecord } from '../store/volumes.js';

const view = (v: VolumeRecord): Volume => ({ ...v, Options: {} });

export class Volumes {
  constructor(private readonly engine: () => Engine) {}

  create(opts: { Name?: string; Labels?: Record<string, string> } = {}): Volume {
    return view(createVolume(this.engine(), opts.Name || undefined, opts.Labels ?? {}));
  }

  inspect(name: string): Volume {
    return view(this.engine().volumes.get(name));
  }

  /** `label`: `k` or `k=v` (docker's label= filter), `name`: a part of the name, `dangling`: unused. */
  list(filters: { label?: string[]; name?: string[]; dangling?: boolean } = {}): Volume[] {
    const engine = this.engine();
    const labels = labelFilter((filters.label ?? []).map((l) => `label=${l}`));
    return engine.volumes
      .list()
      .filter((v) => (!labels || labels(v.Labels)) && (filters.name ?? []).every((n) => v.Name.includes(n)))
      .filter((v) => filters.dangling === undefined || (engine.containers.usingVolume(v.Name).length === 0) === filters.dangling)
      .map(view);
  }

  /** Refused while a container uses it, even with `force`; `force` ignores a missing volume. */
  remove(name: string, opts: { force?: boolean } = {}): void {
    removeVolume(this.engine(), name, opts);
  }

  /** Anonymous volumes no container uses (with `all`, named ones too); `filters`: docker's `label=` filters. */
  prune(opts: { all?: boolean; filters?: string[] } = {}): VolumePruneResponse {
    const filter = labelFilter(opts.filters ?? []);
    const r = pruneVolumes(this.engine(), { all: opts.all ?? false, ...(filter ? { filter } : {}) });
    return { VolumesDeleted: r.deleted, SpaceReclaimed: r.spaceReclaimed };
  }
}
