// What the engine remembers per container for networking, in its database: the mode and the
// inputs of /etc/hosts (so `network connect` can rewrite it), and the networks joined with
// `network connect`, which the container rejoins at every start.
import type { Database } from 'better-sqlite3';

export interface ContainerNetworkConfig {
  containerId: string;
  containerName: string;
  mode: string;
  hostname: string;
  hostsPath: string | null;
  addHosts: string[];
}

export interface NetworkLink {
  containerId: string;
  networkId: string;
  ip: string | null;
  aliases: string[];
}

interface ConfigRow {
  container_id: string;
  container_name: string;
  mode: string;
  hostname: string;
  hosts_path: string | null;
  add_hosts: string;
}

interface LinkRow {
  container_id: string;
  network_id: string;
  ip: string | null;
  aliases: string;
}

export function saveConfig(db: Database, c: ContainerNetworkConfig): void {
  db.prepare(`INSERT OR REPLACE INTO container_network_config (container_id, container_name, mode, hostname, hosts_path, add_hosts)
    VALUES (?, ?, ?, ?, ?, ?)`).run(c.containerId, c.containerName, c.mode, c.hostname, c.hostsPath, JSON.stringify(c.addHosts));
}

export function getConfig(db: Database, containerId: string): ContainerNetworkConfig | undefined {
  const r = db.prepare('SELECT * FROM container_network_config WHERE container_id = ?').get(containerId) as ConfigRow | undefined;
  return r && { containerId: r.container_id, containerName: r.container_name, mode: r.mode, hostname: r.hostname, hostsPath: r.hosts_path, addHosts: JSON.parse(r.add_hosts) };
}

export function addLink(db: Database, l: NetworkLink): void {
  db.prepare('INSERT INTO container_network_links (container_id, network_id, ip, aliases, created_at) VALUES (?, ?, ?, ?, ?)').run(l.containerId, l.networkId, l.ip, JSON.stringify(l.aliases), Date.now());
}

export function removeLink(db: Database, containerId: string, networkId: string): boolean {
  return db.prepare('DELETE FROM container_network_links WHERE container_id = ? AND network_id = ?').run(containerId, networkId).changes > 0;
}

export function listLinks(db: Database, containerId: string): NetworkLink[] {
  return (db.prepare('SELECT * FROM container_network_links WHERE container_id = ? ORDER BY created_at, network_id').all(containerId) as LinkRow[]).map((r) => ({
    containerId: r.container_id,
    networkId: r.network_id,
    ip: r.ip,
    aliases: JSON.parse(r.aliases),
  }));
}

/** Containers linked to a network with `network connect`, running or not. */
export function linkedContainers(db: Database, networkId: string): string[] {
  return (db.prepare('SELECT container_id FROM container_network_links WHERE network_id = ?').all(networkId) as { container_id: string }[]).map((r) => r.container_id);
}

export function forgetConfig(db: Database, containerId: string): void {
  db.prepare('DELETE FROM container_network_config WHERE container_id = ?').run(containerId);
  db.prepare('DELETE FROM container_network_links WHERE container_id = ?').run(containerId);
}
