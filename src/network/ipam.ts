// Address management: which subnet a new network gets, which address a container gets on it, and
// which published host ports clash. The choices are pure functions over plain sets; insertNetwork
// and allocateEndpoint make them inside an IMMEDIATE transaction over records.ts, so concurrent
// vessel processes never hand out one subnet or address twice.
import type { Database } from 'better-sqlite3';
import { NetworkError } from './errors.js';
import { contains, formatCidr, formatIPv4, lastAddress, overlaps, parseCidr, parseIPv4, type Subnet } from './ip.js';
import type { PublishedPort } from './ports.js';
import { endpointExists, getNetwork, insertEndpointRecord, insertNetworkRecord, listNetworkRecords, publishedPorts, requireNetwork, takenAddresses, type EndpointRecord, type NetworkRecord } from './records.js';
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

/** The network address, the broadcast address and the gateway: never a container's. */
export function reservedAddresses(n: Pick<NetworkRecord, 'subnet' | 'gateway'>): Set<number> {
  const subnet = parseCidr(n.subnet);
  return new Set([subnet.base, lastAddress(subnet), parseIPv4(n.gateway)]);
}

/** A requested address if it is assignable and free, else the lowest free one of the range. */
export function pickAddress(n: Pick<NetworkRecord, 'name' | 'subnet' | 'gateway' | 'ipRange'>, taken: Set<number>, requested?: string): number {
  const subnet = parseCidr(n.subnet);
  const reserved = reservedAddresses(n);
  if (requested) {
    const ip = parseIPv4(requested);
    if (!contains(subnet, ip) || reserved.has(ip)) {
      throw new NetworkError('INVALID_ADDRESS', `${requested} is not an assignable address of network ${n.name} (${n.subnet}, gateway ${n.gateway})`, requested);
    }
    if (taken.has(ip)) throw new NetworkError('ADDRESS_IN_USE', `address ${requested} is already in use on network ${n.name}`, requested);
    return ip;
  }
  const range = n.ipRange ? parseCidr(n.ipRange) : subnet;
  for (let c = range.base, end = lastAddress(range); c <= end; c++) {
    if (!reserved.has(c) && !taken.has(c)) return c;
  }
  throw new NetworkError('ADDRESS_EXHAUSTED', `no free address left on network ${n.name} (${n.ipRange ?? n.subnet})`, n.name);
}

function hostIpsOverlap(a: string, b: string): boolean {
  return a === '0.0.0.0' || b === '0.0.0.0' || a === b;
}

/** The ports of `wanted` that one of `published` already holds (same protocol and port, overlapping host IPs). */
export function portClashes(published: { containerId: string; ports: PublishedPort[] }[], wanted: PublishedPort[]): { port: PublishedPort; containerId: string }[] {
  const clashes: { port: PublishedPort; containerId: string }[] = [];
  for (const r of published) {
    for (const p of r.ports) {
      for (const q of wanted) {
        if (p.protocol === q.protocol && p.hostPort === q.hostPort && hostIpsOverlap(p.hostIp, q.hostIp)) clashes.push({ port: q, containerId: r.containerId });
      }
    }
  }
  return clashes;
}

/** Published host ports of every endpoint that clash with `ports`. */
export function conflictingPorts(db: Database, ports: PublishedPort[]): { port: PublishedPort; containerId: string }[] {
  if (ports.length === 0) return [];
  return portClashes(publishedPorts(db), ports);
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
    const record: NetworkRecord = {
      id,
      name: spec.name,
      driver: 'bridge',
      subnet: formatCidr(subnet),
      gateway: formatIPv4(gateway),
      ipRange: range ? formatCidr(range) : null,
      internal: spec.internal ?? false,
      labels: spec.labels ?? {},
      bridge,
      options,
      created: new Date().toISOString(),
      rules: [],
    };
    insertNetworkRecord(db, record);
    return record;
  }).immediate();
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

/** Allocates an address (and reserves host ports) for a container on a network. */
export function allocateEndpoint(db: Database, req: EndpointRequest): EndpointRecord {
  return db.transaction((): EndpointRecord => {
    const n = requireNetwork(db, req.networkId);
    if (endpointExists(db, n.id, req.containerId)) {
      throw new NetworkError('ENDPOINT_EXISTS', `container ${req.containerName} is already attached to network ${n.name}`, req.containerId);
    }
    const clash = conflictingPorts(db, req.ports ?? [])[0];
    if (clash) {
      const p = clash.port;
      throw new NetworkError('PORT_IN_USE', `host port ${p.hostIp}:${p.hostPort}/${p.protocol} is already published by container ${clash.containerId.slice(0, 12)}`, `${p.hostIp}:${p.hostPort}/${p.protocol}`);
    }
    const ip = pickAddress(n, takenAddresses(db, n.id), req.ip);
    const record: EndpointRecord = {
      networkId: n.id,
      containerId: req.containerId,
      containerName: req.containerName,
      ip: formatIPv4(ip),
      mac: req.mac(ip),
      ifName: req.ifName,
      hostIf: req.hostIf,
      aliases: req.aliases ?? [],
      ports: req.ports ?? [],
      rules: [],
    };
    insertEndpointRecord(db, record, ip);
    return record;
  }).immediate();
}
