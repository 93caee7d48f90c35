// Where the embedded resolver forwards names it does not know: the container's own --dns servers
// when it has some, else the host's resolvers. The resolver forwards from the host's network
// namespace, but the host's loopback resolvers are left out like docker does (a stub such as
// systemd-resolved's 127.0.0.53 would answer with the host's view, search domains and all).
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { parseResolvConf } from '../etc/resolvconf.js';
import { isLoopback } from '../ip.js';

export const HOST_RESOLV_CONF = '/etc/resolv.conf';

/** Records a container's --dns servers (none: forget them, the host's are used). */
export function setContainerUpstreams(db: Database, containerId: string, servers: string[]): void {
  if (servers.length) db.prepare('INSERT OR REPLACE INTO network_dns_upstreams (container_id, servers) VALUES (?, ?)').run(containerId, JSON.stringify(servers));
  else db.prepare('DELETE FROM network_dns_upstreams WHERE container_id = ?').run(containerId);
}

export function containerUpstreams(db: Database, containerId: string): string[] {
  const row = db.prepare('SELECT servers FROM network_dns_upstreams WHERE container_id = ?').get(containerId) as { servers: string } | undefined;
  return row ? (JSON.parse(row.servers) as string[]) : [];
}

/** The host's non-loopback resolvers, read at each call so an edited resolv.conf counts at once. */
export function hostUpstreams(resolvConfPath = HOST_RESOLV_CONF): string[] {
  try {
    return parseResolvConf(readFileSync(resolvConfPath, 'utf8')).nameservers.filter((ns) => !isLoopback(ns));
  } catch {
    return [];
  }
}
