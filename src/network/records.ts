// Networks and endpoints as rows of the engine's database: every SQL statement of the network
// library's two tables, and nothing else. The allocation policy (which subnet, which address,
// which host ports clash) is ipam.ts; it calls these inside its IMMEDIATE transactions.
import type { Database } from 'better-sqlite3';
import { NetworkError } from './errors.js';
import type { FirewallRule } from './firewall/rules.js';
import type { PublishedPort } from './ports.js';

export interface NetworkRecord {
  id: string;
  name: string;
  driver: 'bridge';
  subnet: string;
  gateway: string;
  ipRange: string | null;
  internal: boolean;
  labels: Record<string, string>;
  /** The host bridge device. */
  bridge: string;
  options: Record<string, string>;
  created: string;
  /** The firewall rules the network's bridge added, for exact removal. */
  rules: FirewallRule[];
}

export interface EndpointRecord {
  networkId: string;
  containerId: string;
  containerName: string;
  ip: string;
  mac: string;
  /** Name inside the container (eth0, eth1…). */
  ifName: string;
  /** The host end of the veth pair. */
  hostIf: string;
  aliases: string[];
  ports: PublishedPort[];
  /** The firewall rules this endpoint added, for exact removal. */
  rules: FirewallRule[];
}

interface NetworkRow {
  id: string;
  name: string;
  driver: string;
  subnet: string;
  gateway: string;
  ip_range: string | null;
  internal: number;
  labels: string;
  bridge: string;
  options: string;
  created: string;
  rules: string;
}

interface EndpointRow {
  network_id: string;
  container_id: string;
  container_name: string;
  ip: string;
  mac: string;
  if_name: string;
  host_if: string;
  aliases: string;
  ports: string;
  rules: string;
}

function toNetwork(r: NetworkRow): NetworkRecord {
  return {
    id: r.id,
    name: r.name,
    driver: 'bridge',
    subnet: r.subnet,
    gateway: r.gateway,
    ipRange: r.ip_range,
    internal: r.internal !== 0,
    labels: JSON.parse(r.labels),
    bridge: r.bridge,
    options: JSON.parse(r.options),
    created: r.created,
    rules: JSON.parse(r.rules),
  };
}

function toEndpoint(r: EndpointRow): EndpointRecord {
  return {
    networkId: r.network_id,
    containerId: r.container_id,
    containerName: r.container_name,
    ip: r.ip,
    mac: r.mac,
    ifName: r.if_name,
    hostIf: r.host_if,
    aliases: JSON.parse(r.aliases),
    ports: JSON.parse(r.ports),
    rules: JSON.parse(r.rules),
  };
}

/** By exact name or id, or by a unique id prefix. */
export function getNetwork(db: Database, nameOrId: string): NetworkRecord | null {
  const exact = db.prepare('SELECT * FROM networks WHERE name = ? OR id = ?').get(nameOrId, nameOrId) as NetworkRow | undefined;
  if (exact) return toNetwork(exact);
  if (!/^[0-9a-f]{3,}$/.test(nameOrId)) return null;
  const byPrefix = db.prepare("SELECT * FROM networks WHERE id LIKE ? || '%'").all(nameOrId) as NetworkRow[];
  return byPrefix.length === 1 ? toNetwork(byPrefix[0]!) : null;
}

export function requireNetwork(db: Database, nameOrId: string): NetworkRecord {
  const n = getNetwork(db, nameOrId);
  if (!n) throw new NetworkError('NETWORK_NOT_FOUND', `network ${nameOrId} not found`, nameOrId);
  return n;
}

export function listNetworkRecords(db: Database): NetworkRecord[] {
  return (db.prepare('SELECT * FROM networks ORDER BY created, name').all() as NetworkRow[]).map(toNetwork);
}

export function insertNetworkRecord(db: Database, n: NetworkRecord): void {
  db.prepare(`INSERT INTO networks (id, name, driver, subnet, gateway, ip_range, internal, labels, bridge, options, created, rules)
    VALUES (@id, @name, @driver, @subnet, @gateway, @ip_range, @internal, @labels, @bridge, @options, @created, @rules)`).run({
    id: n.id,
    name: n.name,
    driver: n.driver,
    subnet: n.subnet,
    gateway: n.gateway,
    ip_range: n.ipRange,
    internal: n.internal ? 1 : 0,
    labels: JSON.stringify(n.labels),
    bridge: n.bridge,
    options: JSON.stringify(n.options),
    created: n.created,
    rules: JSON.stringify(n.rules),
  } satisfies NetworkRow);
}

/** Deletes a network's record; refused while endpoints remain. */
export function deleteNetworkRecord(db: Database, id: string): void {
  db.transaction(() => {
    const n = db.prepare('SELECT COUNT(*) AS n FROM network_endpoints WHERE network_id = ?').get(id) as { n: number };
    if (n.n > 0) throw new NetworkError('NETWORK_IN_USE', `network ${id} still has ${n.n} attached container(s)`, id);
    db.prepare('DELETE FROM networks WHERE id = ?').run(id);
  }).immediate();
}

export function setNetworkRules(db: Database, id: string, rules: FirewallRule[]): void {
  db.prepare('UPDATE networks SET rules = ? WHERE id = ?').run(JSON.stringify(rules), id);
}

export function endpointExists(db: Database, networkId: string, containerId: string): boolean {
  return db.prepare('SELECT 1 FROM network_endpoints WHERE network_id = ? AND container_id = ?').get(networkId, containerId) !== undefined;
}

/** The addresses (as integers) taken on a network. */
export function takenAddresses(db: Database, networkId: string): Set<number> {
  return new Set((db.prepare('SELECT ip_int FROM network_endpoints WHERE network_id = ?').all(networkId) as { ip_int: number }[]).map((r) => r.ip_int));
}

/** Every endpoint's published host ports, on any network. */
export function publishedPorts(db: Database): { containerId: string; ports: PublishedPort[] }[] {
  const rows = db.prepare("SELECT container_id, ports FROM network_endpoints WHERE ports != '[]'").all() as { container_id: string; ports: string }[];
  return rows.map((r) => ({ containerId: r.container_id, ports: JSON.parse(r.ports) as PublishedPort[] }));
}

/** `ipInt` is `e.ip` as an integer, kept for the uniqueness constraint and ordering. */
export function insertEndpointRecord(db: Database, e: EndpointRecord, ipInt: number): void {
  db.prepare(`INSERT INTO network_endpoints (network_id, container_id, container_name, ip, ip_int, mac, if_name, host_if, aliases, ports, rules)
    VALUES (@network_id, @container_id, @container_name, @ip, @ip_int, @mac, @if_name, @host_if, @aliases, @ports, @rules)`).run({
    network_id: e.networkId,
    container_id: e.containerId,
    container_name: e.containerName,
    ip: e.ip,
    ip_int: ipInt,
    mac: e.mac,
    if_name: e.ifName,
    host_if: e.hostIf,
    aliases: JSON.stringify(e.aliases),
    ports: JSON.stringify(e.ports),
    rules: JSON.stringify(e.rules),
  });
}

export function setEndpointRules(db: Database, networkId: string, containerId: string, rules: FirewallRule[]): void {
  db.prepare('UPDATE network_endpoints SET rules = ? WHERE network_id = ? AND container_id = ?').run(JSON.stringify(rules), networkId, containerId);
}

export function getEndpoint(db: Database, networkId: string, containerId: string): EndpointRecord | null {
  const r = db.prepare('SELECT * FROM network_endpoints WHERE network_id = ? AND container_id = ?').get(networkId, containerId) as EndpointRow | undefined;
  return r ? toEndpoint(r) : null;
}

export function listEndpoints(db: Database, filter: { networkId?: string; containerId?: string } = {}): EndpointRecord[] {
  const rows = db.prepare(`SELECT * FROM network_endpoints
    WHERE (@networkId IS NULL OR network_id = @networkId) AND (@containerId IS NULL OR container_id = @containerId)
    ORDER BY network_id, ip_int`).all({ networkId: filter.networkId ?? null, containerId: filter.containerId ?? null }) as EndpointRow[];
  return rows.map(toEndpoint);
}

/** Releases a container's address on a network; its address and host ports become free. */
export function releaseEndpoint(db: Database, networkId: string, containerId: string): void {
  db.prepare('DELETE FROM network_endpoints WHERE network_id = ? AND container_id = ?').run(networkId, containerId);
}
