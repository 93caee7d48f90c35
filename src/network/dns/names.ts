// Name lookups for the embedded resolver, straight from the engine's database: a container sees
// the names, aliases and short ids of the containers on the networks it shares with them.
import type { Database, Statement } from 'better-sqlite3';
import { DEFAULT_NETWORK } from '../ipam.js';

export interface ServedNetwork {
  id: string;
  name: string;
  gateway: string;
  internal: boolean;
}

interface EndpointRow {
  container_id: string;
  container_name: string;
  ip_int: number;
  aliases: string;
}

export class NameTable {
  private readonly served: Statement;
  private readonly querier: Statement;
  private readonly peers: Statement;

  constructor(db: Database) {
    // the default network has no name resolution, as in docker
    this.served = db.prepare(`SELECT DISTINCT n.id, n.name, n.gateway, n.internal FROM networks n
      JOIN network_endpoints e ON e.network_id = n.id WHERE n.name != '${DEFAULT_NETWORK}'`);
    this.querier = db.prepare('SELECT container_id FROM network_endpoints WHERE network_id = ? AND ip = ?');
    this.peers = db.prepare(`SELECT e.container_id, e.container_name, e.ip_int, e.aliases FROM network_endpoints e
      WHERE e.network_id IN (SELECT network_id FROM network_endpoints WHERE container_id = ?)
        AND e.network_id IN (SELECT id FROM networks WHERE name != '${DEFAULT_NETWORK}')`);
  }

  /** User networks with at least one container: the ones the resolver listens on. */
  servedNetworks(): ServedNetwork[] {
    return (this.served.all() as { id: string; name: string; gateway: string; internal: number }[]).map((r) => ({ ...r, internal: r.internal !== 0 }));
  }

  /** The container that owns `ip` on the network, if any. */
  containerAt(networkId: string, ip: string): string | undefined {
    return (this.querier.get(networkId, ip) as { container_id: string } | undefined)?.container_id;
  }

  /** Addresses `name` has for `containerId`: its peers' names, aliases and 12-character ids. */
  lookup(containerId: string, name: string): number[] {
    const found = new Set<number>();
    for (const r of this.peers.all(containerId) as EndpointRow[]) {
      const names = [r.container_name, r.container_id.slice(0, 12), ...(JSON.parse(r.aliases) as string[])];
      if (names.some((n) => n.toLowerCase() === name)) found.add(r.ip_int);
    }
    return [...found];
  }
}
