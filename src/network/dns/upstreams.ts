// Where the embedded resolver forwards names it does not know: the container's own --dns servers
// when it has some, else the host's resolvers. Loopback resolvers are fine here: the resolver runs
// in the host's network namespace, unlike the container.
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { parseResolvConf } from '../etc/resolvconf.js';
export { migrateDnsTables } from '../schema.js';

/** Records a container's --dns servers (none: forget them, the host's are used). */
export function setContainerUpstreams(db: Database, containerId: string, servers: string[]): void {
  if (servers.length) db.prepare('INSERT OR REPLACE INTO network_dns_upstreams (container_id, servers) VALUES (?, ?)').run(containerId, JSON.stringify(servers));
  else db.prepare('DELETE FROM network_dns_upstreams WHERE container_id = ?').run(containerId);
}

export function containerUpstreams(db: Database, containerId: string): string[] {
  const row = db.prepare('SELECT servers FROM network_dns_upstreams WHERE container_id = ?').get(containerId) as { servers: string } | undefined;
  return row ? (JSON.parse(row.servers) as string[]) : [];
}

export function hostUpstreams(resolvConfPath = '/etc/resolv.conf'): string[] {
  try {
    return parseResolvConf(readFileSync(resolvConfPath, 'utf8')).nameservers;
  } catch {
    return [];
  }
}
