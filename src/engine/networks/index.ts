// The networks of an engine root, in docker's shapes: the default `bridge` (made on first use, as
// docker0 is), user networks, and the `host` and `none` pseudo-networks docker also lists.
import type { NetworkCreateResponse, NetworkPruneResponse } from '../api-types.js';
import type { Engine } from '../engine.js';

export type { NetworkInspect } from './view.js';

export interface NetworkCreateOptions {
  Name: string;
  Driver?: string;
  Internal?: boolean;
  Labels?: Record<string, string>;
  Options?: Record<string, string>;
  /** one IPv4 pool: vessel's networks have a single subnet */
  IPAM?: { Config?: { Subnet?: string; Gateway?: string; IPRange?: string }[] };
}

export interface NetworkSummary {
  Id: string;
  Name: string;
  Driver: string;
  Scope: 'local';
  Internal: boolean;
  Labels: Record<string, string>;
  Created: string;
}

async function lib() {
  const [network, view, glue] = await Promise.all([import('../../network/index.js'), import('./view.js'), import('../network/index.js')]);
  return { ...network, ...view, ...glue };
}

export class Networks {
  constructor(private readonly engine: () => Engine) {}

  private get sql() {
    return this.engine().images.db.sql;
  }

  async list(): Promise<NetworkSummary[]> {
    const { DEFAULT_NETWORK, ensureNetwork, listNetworks, PSEUDO_NETWORKS } = await lib();
    const db = this.sql;
    ensureNetwork(db, DEFAULT_NETWORK);
    return [
      ...listNetworks(db).map((n) => ({ Id: n.id, Name: n.name, Driver: n.driver, Scope: 'local' as const, Internal: n.internal, Labels: n.labels, Created: n.created })),
      ...PSEUDO_NETWORKS.map((p) => ({ Id: p.id, Name: p.name, Driver: p.driver, Scope: 'local' as const, Internal: false, Labels: {}, Created: '' })),
    ].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  async inspect(ref: string): Promise<import('./view.js').NetworkInspect> {
    const { DEFAULT_NETWORK, ensureNetwork, requireNetwork, inspectNetwork } = await lib();
    const db = this.sql;
    return inspectNetwork(db, ref === DEFAULT_NETWORK ? ensureNetwork(db, ref) : requireNetwork(db, ref));
  }

  async create(opts: NetworkCreateOptions): Promise<NetworkCreateResponse> {
    const { createNetwork, NetworkError } = await lib();
    const pools = opts.IPAM?.Config ?? [];
    if (pools.length > 1) throw new NetworkError('INVALID_OPTION', 'only one IPAM pool is supported (IPv4 only)', opts.Name);
    const pool = pools[0] ?? {};
    const n = createNetwork(this.sql, {
      name: opts.Name,
      ...(opts.Driver ? { driver: opts.Driver } : {}),
      ...(pool.Subnet ? { subnet: pool.Subnet } : {}),
      ...(pool.Gateway ? { gateway: pool.Gateway } : {}),
      ...(pool.IPRange ? { ipRange: pool.IPRange } : {}),
      internal: opts.Internal ?? false,
      labels: opts.Labels ?? {},
      options: opts.Options ?? {},
    });
    return { Id: n.id, Warning: '' };
  }

  /** Refused while a container (running, or stopped and due to rejoin it) uses the network. */
  async remove(ref: string): Promise<void> {
    const { requireNetwork, linkedContainers, removeNetwork, NetworkError } = await lib();
    const db = this.sql;
    const n = requireNetwork(db, ref);
    const linked = linkedContainers(db, n.id);
    if (linked.length) throw new NetworkError('NETWORK_IN_USE', `network ${n.name} is in use by container(s) ${linked.map((c) => c.slice(0, 12)).join(', ')}`, n.name);
    removeNetwork(db, n.id);
  }

  /** Removes every user network no container uses; returns their names. */
  async prune(): Promise<NetworkPruneResponse> {
    const { DEFAULT_NETWORK, listNetworks, listEndpoints, linkedContainers, removeNetwork } = await lib();
    const db = this.sql;
    const removed: string[] = [];
    for (const n of listNetworks(db)) {
      if (n.name === DEFAULT_NETWORK || listEndpoints(db, { networkId: n.id }).length || linkedContainers(db, n.id).length) continue;
      removeNetwork(db, n.id);
      removed.push(n.name);
    }
    return { NetworksDeleted: removed };
  }

  async connect(network: string, container: string, opts: { ip?: string; aliases?: string[] } = {}): Promise<void> {
    const { connectNetwork } = await lib();
    const engine = this.engine();
    const c = engine.containers.resolve(container);
    await connectNetwork({ db: engine.images.db, network, container: { id: c.id, name: c.name, pid: c.state === 'running' ? c.pid : 0 }, ...(opts.ip ? { ip: opts.ip } : {}), aliases: opts.aliases ?? [] });
  }

  async disconnect(network: string, container: string): Promise<void> {
    const { disconnectNetwork } = await lib();
    const engine = this.engine();
    const c = engine.containers.resolve(container);
    disconnectNetwork(engine.images.db, network, { id: c.id, name: c.name, pid: c.state === 'running' ? c.pid : 0 });
  }
}
