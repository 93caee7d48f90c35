// Name lookups for the embedded resolver, straight from the engine's database at each query (so a
// rename or a `network connect` counts at once): a container sees the names, aliases and short ids
// of the containers on the user networks it is on.
import type { Database, Statement } from 'better-sqlite3';
import { DEFAULT_NETWORK } from '../ipam.js';

interface PeerRow {
  container_id: string;
  container_name: string;
  ip_int: number;
  aliases: string;
}

const USER_NETWORKS = `SELECT id FROM networks WHERE name != '${DEFAULT_NETWORK}'`;

export class NameTable {
  private readonly peers: Statement;
  private readonly served: Statement;
  private readonly outside: Statement;
  private readonly init: Statement | undefined;

  constructor(db: Database) {
    // The engine's containers table has the current name (a rename changes it there); a database
    // with the network tables only (the network library's own tests) has just the endpoint's copy.
    const hasContainers = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'containers'").get() !== undefined;
    const name = hasContainers ? 'COALESCE((SELECT c.name FROM containers c WHERE c.id = e.container_id), e.container_name)' : 'e.container_name';
    this.peers = db.prepare(`SELECT e.container_id, ${name} AS container_name, e.ip_int, e.aliases FROM network_endpoints e
      WHERE e.network_id IN (SELECT network_id FROM network_endpoints WHERE container_id = ?) AND e.network_id IN (${USER_NETWORKS})`);
    this.served = db.prepare(`SELECT DISTINCT container_id FROM network_endpoints WHERE network_id IN (${USER_NETWORKS})`);
    this.outside = db.prepare(`SELECT 1 FROM network_endpoints e JOIN networks n ON n.id = e.network_id WHERE e.container_id = ? AND n.internal = 0 LIMIT 1`);
    const columns = hasContainers ? new Set((db.prepare('PRAGMA table_info(containers)').all() as { name: string }[]).map((c) => c.name)) : new Set<string>();
    this.init = columns.has('pid') && columns.has('state') ? db.prepare("SELECT pid FROM containers WHERE id = ? AND state IN ('running', 'paused') AND pid > 0") : undefined;
  }

  /** The pid of the container's init as the engine recorded it, while it runs. */
  initPid(containerId: string): number | undefined {
    return (this.init?.get(containerId) as { pid: number } | undefined)?.pid;
  }

  /** Addresses `name` (lower case, no trailing dot) has for `containerId`: its peers' names, aliases and 12-character ids. */
  lookup(containerId: string, name: string): number[] {
    const found = new Set<number>();
    for (const r of this.peers.all(containerId) as PeerRow[]) {
      const names = [r.container_name, r.container_id.slice(0, 12), ...(JSON.parse(r.aliases) as string[])];
      if (names.some((n) => n.toLowerCase() === name)) found.add(r.ip_int);
    }
    return [...found];
  }

  /** Containers with an endpoint on a user network: those whose namespaces the resolver serves. */
  servedContainers(): Set<string> {
    return new Set((this.served.all() as { container_id: string }[]).map((r) => r.container_id));
  }

  /** Whether one of the container's networks leads out (internal networks have no way out, for names as for packets). */
  reachesOutside(containerId: string): boolean {
    return this.outside.get(containerId) !== undefined;
  }
}
