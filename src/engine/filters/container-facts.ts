// What `ps --filter` looks at, read from a stored container and its live state, and the lookups
// its ancestor/before/since filters need.
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { liveState } from '../lifecycle/status.js';
import type { ContainerFacts, ContainerFilterLookups } from './containers.js';

interface StoredNetworkSettings {
  Networks?: Record<string, { NetworkID?: string } | null>;
  Ports?: Record<string, { HostPort?: string }[] | null>;
}

function ports(rec: ContainerRecord, running: boolean): ContainerFacts['Ports'] {
  const out: { PrivatePort: number; PublicPort?: number; Type: string }[] = [];
  const seen = new Set<string>();
  const settings = (rec.networkSettings ?? {}) as StoredNetworkSettings;
  // published ports exist only while the container runs, as docker's summary shows them
  if (running) {
    for (const [key, bindings] of Object.entries(settings.Ports ?? {})) {
      const [port, proto = 'tcp'] = key.split('/');
      for (const b of bindings ?? []) out.push({ PrivatePort: Number(port), PublicPort: Number(b.HostPort), Type: proto });
      if (bindings?.length) seen.add(key);
    }
  }
  for (const key of Object.keys(rec.config.ExposedPorts ?? {})) {
    if (seen.has(key)) continue;
    const [port, proto = 'tcp'] = key.split('/');
    out.push({ PrivatePort: Number(port), Type: proto });
  }
  return out;
}

export function containerFacts(rec: ContainerRecord, live: { status: string; exitCode: number }): ContainerFacts {
  const running = live.status === 'running' || live.status === 'paused';
  const networks = ((rec.networkSettings ?? {}) as StoredNetworkSettings).Networks ?? {};
  return {
    Id: rec.id,
    Name: rec.name,
    ImageID: rec.imageId,
    State: live.status,
    ExitCode: live.exitCode,
    Started: rec.startedAt !== null,
    Created: Date.parse(rec.createdAt),
    Labels: rec.config.Labels ?? {},
    Ports: ports(rec, running),
    Mounts: rec.mounts.map((m) => ({ ...(m.Name ? { Name: m.Name } : {}), Source: m.Source, Destination: m.Destination })),
    Networks: Object.fromEntries(Object.entries(networks).map(([name, n]) => [name, { NetworkID: n?.NetworkID ?? '' }])),
  };
}

export function containerLookups(engine: Engine): ContainerFilterLookups {
  return {
    imageFamily(reference) {
      const store = engine.images.images;
      let base;
      try {
        base = store.resolve(reference);
      } catch {
        return new Set();
      }
      const chain = base.layers.map((l) => l.chainId);
      // the image itself and every image built on top of its layers
      return new Set(store.list().filter((i) => chain.every((c, n) => i.layers[n]?.chainId === c)).map((i) => i.id));
    },
    container(reference) {
      const rec = engine.containers.resolve(reference);
      return containerFacts(rec, liveState(engine, rec));
    },
  };
}
