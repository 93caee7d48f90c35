// Networks and address allocations in the engine's SQLite database. Every change runs in an
// IMMEDIATE transaction, so concurrent vessel processes never hand out one address twice.
import type { Database } from 'better-sqlite3';
import { NetworkError } from './errors.js';
import type { FirewallRule } from './firewall/rules.js';
import { contains, formatCidr, formatIPv4, lastAddress, overlaps, parseCidr, parseIPv4, type Subnet } from './ip.js';
import type { PublishedPort } from './ports.js';
import { crypto } from '../sys/lazy.js';
import { randomBytes } from '../sys/random.js';

export const DEFAULT_NETWORK = 'bridge';
export const DEFAULT_BRIDGE = 'vessel0';
const DEFAULT_DB = '/var/lib/vessel/vessel.db';

/**
 * The bridge of a root's default network: vessel0 for the default engine root, a name derived from
 * the database path for any other root, so that two roots (a test's and the user's) never share,
 * or tear down, each other's bridge.
 */
export function defaultBridgeName(db: Pick<Database, 'name'>): string {
  if (db.name === DEFAULT_DB || db.name === ':memory:' || db.name === '') return DEFAULT_BRIDGE;
  return `vsl${crypto().createHash('sha256').update(db.name).digest('hex').slice(0, 10)}`;
}
export const BRIDGE_NAME_OPTION = 'com.docker.network.bridge.name';
export const MTU_OPTION = 'com.docker.network.driver.mtu';

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

export interface NetworkSpec {
  name: string;
  driver?: string;
  subnet?: string;
  gateway?: string;
  ipRange?: string;
  internal?: boolean;
  labels?: Record<string, string>;
  options?: Record<string, string>;
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

/** Docker's default address pools: /16s from 172.17, then /20s of 192.168.0.0/16. */
export function defaultSubnetPool(): Subnet[] {
  const pool: Subnet[] = [];
  for (let b = 17; b <= 31; b++) pool.push({ base: parseIPv4(`172.${b}.0.0`), prefixLen: 16 });
  for (let c = 0; c < 256; c += 16) pool.push({ base: parseIPv4(`192.168.${c}.0`), prefixLen: 20 });
  return pool;
}

/** The first pool subnet overlapping neither `used` nor `avoid` (the host's routes). */
export function pickSubnet(pool: Subnet[], used: Subnet[]): Subnet {
  const free = pool.find((s) => !used.some((u) => overlaps(s, u)));
  if (!free) throw new NetworkError('SUBNET_POOL_EXHAUSTED', 'no free subnet left in the address pool: remove unused networks or give --subnet', 'pool');
  return free;
}

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

function validateOptions(spec: NetworkSpec): void {
  if (spec.driver !== undefined && spec.driver !== 'bridge') throw new NetworkError('INVALID_OPTION', `network driver ${spec.driver} is not supported (only bridge)`, spec.name);
  if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(spec.name)) throw new NetworkError('INVALID_OPTION', `invalid network name ${JSON.stringify(spec.name)}`, spec.name);
  const bridge = spec.options?.[BRIDGE_NAME_OPTION];
  if (bridge !== undefined && !/^[a-zA-Z0-9_.-]{1,15}$/.test(bridge)) throw new NetworkError('INVALID_OPTION', `invalid bridge name ${JSON.stringify(bridge)} (at most 15 characters)`, spec.name);
  const mtu = spec.options?.[MTU_OPTION];
  if (mtu !== undefined && !(/^\d+$/.test(mtu) && Number(mtu) >= 68 && Number(mtu) <= 65535)) throw new NetworkError('INVALID_OPTION', `invalid MTU ${mtu}`, spec.name);
}

/**
 * Records a new network. Without `subnet` one is picked from the pool, skipping every existing
 * network and `hostRoutes`; a given subnet must not overlap an existing network.
 */
export function insertNetwork(db: Database, spec: NetworkSpec, hostRoutes: Subnet[]): NetworkRecord {
  validateOptions(spec);
  return db.transaction((): NetworkRecord => {
    if (getNetwork(db, spec.name)?.name === spec.name) throw new NetworkError('NETWORK_EXISTS', `network ${spec.name} already exists`, spec.name);
    const existing = listNetworkRecords(db);
    const used = existing.map((n) => parseCidr(n.subnet));
    let subnet: Subnet;
    if (spec.subnet) {
      subnet = parseCidr(spec.subnet);
      const clash = existing.find((n) => overlaps(parseCidr(n.subnet), subnet));
      if (clash) throw new NetworkError('SUBNET_OVERLAP', `subnet ${spec.subnet} overlaps network ${clash.name} (${clash.subnet})`, spec.name);
    } else {
      const pool = defaultSubnetPool();
      // 172.17.0.0/16 stays for the default network, as in docker
      subnet = pickSubnet(spec.name === DEFAULT_NETWORK ? pool : pool.slice(1), [...used, ...hostRoutes]);
    }
    if (subnet.prefixLen > 30) throw new NetworkError('INVALID_OPTION', `subnet ${formatCidr(subnet)} is too small`, spec.name);
    const gateway = spec.gateway ? parseIPv4(spec.gateway) : subnet.base + 1;
    if (!contains(subnet, gateway) || gateway === subnet.base || gateway === lastAddress(subnet)) {
      throw new NetworkError('INVALID_ADDRESS', `gateway ${formatIPv4(gateway)} is not a host address of ${formatCidr(subnet)}`, spec.name);
    }
    const range = spec.ipRange ? parseCidr(spec.ipRange) : null;
    if (range && !(contains(subnet, range.base) && range.prefixLen >= subnet.prefixLen)) {
      throw new NetworkError('INVALID_ADDRESS', `ip-range ${spec.ipRange} is not inside ${formatCidr(subnet)}`, spec.name);
    }
    const id = randomBytes(32).toString('hex');
    const options = spec.options ?? {};
    const bridge = options[BRIDGE_NAME_OPTION] ?? (spec.name === DEFAULT_NETWORK ? defaultBridgeName(db) : `vbr-${id.slice(0, 11)}`);
    const other = existing.find((n) => n.bridge === bridge);
    if (other) throw new NetworkError('NETWORK_EXISTS', `bridge ${bridge} is already used by network ${other.name}`, spec.name);
    const row: NetworkRow = {
      id,
      name: spec.name,
      driver: 'bridge',
      subnet: formatCidr(subnet),
      gateway: formatIPv4(gateway),
      ip_range: range ? formatCidr(range) : null,
      internal: spec.internal ? 1 : 0,
      labels: JSON.stringify(spec.labels ?? {}),
      bridge,
      options: JSON.stringify(options),
      created: new Date().toISOString(),
      rules: '[]',
    };
    db.prepare(`INSERT INTO networks (id, name, driver, subnet, gateway, ip_range, internal, labels, bridge, options, created, rules)
      VALUES (@id, @name, @driver, @subnet, @gateway, @ip_range, @internal, @labels, @bridge, @options, @created, @rules)`).run(row);
    return toNetwork(row);
  }).immediate();
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

export interface EndpointRequest {
  networkId: string;
  containerId: string;
  containerName: string;
  /** A static address (--ip); otherwise the lowest free one. */
  ip?: string;
  ifName: string;
  hostIf: string;
  aliases?: string[];
  /** Host ports must already be concrete (no 0). */
  ports?: PublishedPort[];
  /** Derives the MAC from the chosen address. */
  mac: (ip: number) => string;
}

function reservedAddresses(n: NetworkRecord): Set<number> {
  const subnet = parseCidr(n.subnet);
  return new Set([subnet.base, lastAddress(subnet), parseIPv4(n.gateway)]);
}

function hostIpsOverlap(a: string, b: string): boolean {
  return a === '0.0.0.0' || b === '0.0.0.0' || a === b;
}

/** Published host ports of every endpoint that clash with `ports`. */
export function conflictingPorts(db: Database, ports: PublishedPort[]): { port: PublishedPort; containerId: string }[] {
  if (ports.length === 0) return [];
  const rows = db.prepare("SELECT container_id, ports FROM network_endpoints WHERE ports != '[]'").all() as { container_id: string; ports: string }[];
  const clashes: { port: PublishedPort; containerId: string }[] = [];
  for (const r of rows) {
    for (const p of JSON.parse(r.ports) as PublishedPort[]) {
      for (const q of ports) {
        if (p.protocol === q.protocol && p.hostPort === q.hostPort && hostIpsOverlap(p.hostIp, q.hostIp)) clashes.push({ port: q, containerId: r.container_id });
      }
    }
  }
  return clashes;
}

/** Allocates an address (and reserves host ports) for a container on a network. */
export function allocateEndpoint(db: Database, req: EndpointRequest): EndpointRecord {
  return db.transaction((): EndpointRecord => {
    const n = requireNetwork(db, req.networkId);
    if (db.prepare('SELECT 1 FROM network_endpoints WHERE network_id = ? AND container_id = ?').get(n.id, req.containerId)) {
      throw new NetworkError('ENDPOINT_EXISTS', `container ${req.containerName} is already attached to network ${n.name}`, req.containerId);
    }
    const clash = conflictingPorts(db, req.ports ?? [])[0];
    if (clash) {
      const p = clash.port;
      throw new NetworkError('PORT_IN_USE', `host port ${p.hostIp}:${p.hostPort}/${p.protocol} is already published by container ${clash.containerId.slice(0, 12)}`, `${p.hostIp}:${p.hostPort}/${p.protocol}`);
    }
    const subnet = parseCidr(n.subnet);
    const reserved = reservedAddresses(n);
    const taken = new Set((db.prepare('SELECT ip_int FROM network_endpoints WHERE network_id = ?').all(n.id) as { ip_int: number }[]).map((r) => r.ip_int));
    let ip: number;
    if (req.ip) {
      ip = parseIPv4(req.ip);
      if (!contains(subnet, ip) || reserved.has(ip)) {
        throw new NetworkError('INVALID_ADDRESS', `${req.ip} is not an assignable address of network ${n.name} (${n.subnet}, gateway ${n.gateway})`, req.ip);
      }
      if (taken.has(ip)) throw new NetworkError('ADDRESS_IN_USE', `address ${req.ip} is already in use on network ${n.name}`, req.ip);
    } else {
      const range = n.ipRange ? parseCidr(n.ipRange) : subnet;
      let found: number | undefined;
      for (let c = range.base, end = lastAddress(range); c <= end; c++) {
        if (!reserved.has(c) && !taken.has(c)) {
          found = c;
          break;
        }
      }
      if (found === undefined) throw new NetworkError('ADDRESS_EXHAUSTED', `no free address left on network ${n.name} (${n.ipRange ?? n.subnet})`, n.name);
      ip = found;
    }
    const row = {
      network_id: n.id,
      container_id: req.containerId,
      container_name: req.containerName,
      ip: formatIPv4(ip),
      ip_int: ip,
      mac: req.mac(ip),
      if_name: req.ifName,
      host_if: req.hostIf,
      aliases: JSON.stringify(req.aliases ?? []),
      ports: JSON.stringify(req.ports ?? []),
      rules: '[]',
    };
    db.prepare(`INSERT INTO network_endpoints (network_id, container_id, container_name, ip, ip_int, mac, if_name, host_if, aliases, ports, rules)
      VALUES (@network_id, @container_id, @container_name, @ip, @ip_int, @mac, @if_name, @host_if, @aliases, @ports, @rules)`).run(row);
    return toEndpoint(row);
  }).immediate();
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
