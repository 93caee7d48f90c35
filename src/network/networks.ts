// Network verbs for the engine: create, ensure (the default network), remove, list, prune.
import type { Database } from 'better-sqlite3';
import { ensureBridge, teardownBridge } from './bridge.js';
import { systemDeps, type NetworkDeps } from './deps.js';
import { NetworkError } from './errors.js';
import { hostRouteSubnets } from './hostroutes.js';
import { DEFAULT_NETWORK, insertNetwork, type NetworkSpec } from './ipam.js';
import { deleteNetworkRecord, getNetwork, listEndpoints, listNetworkRecords, requireNetwork, type NetworkRecord } from './records.js';

/** Records a network and creates its bridge and firewall rules. */
export function createNetwork(db: Database, spec: NetworkSpec, deps: NetworkDeps = systemDeps()): NetworkRecord {
  const n = insertNetwork(db, spec, hostRouteSubnets(deps.netlink));
  try {
    ensureBridge(db, n, deps);
  } catch (e) {
    deleteNetworkRecord(db, n.id);
    throw e;
  }
  return requireNetwork(db, n.id);
}

/** Returns the network, creating the default `bridge` network (on vessel0) on first use. */
export function ensureNetwork(db: Database, name: string, deps: NetworkDeps = systemDeps()): NetworkRecord {
  const existing = getNetwork(db, name);
  if (existing) return existing;
  if (name !== DEFAULT_NETWORK) throw new NetworkError('NETWORK_NOT_FOUND', `network ${name} not found`, name);
  try {
    return createNetwork(db, { name }, deps);
  } catch (e) {
    // another vessel process created it at the same moment
    if ((e as NetworkError).code === 'NETWORK_EXISTS') return requireNetwork(db, name);
    throw e;
  }
}

/** Removes a network: refused while containers are attached, and for the default network. */
export function removeNetwork(db: Database, nameOrId: string, deps: NetworkDeps = systemDeps()): void {
  const n = requireNetwork(db, nameOrId);
  if (n.name === DEFAULT_NETWORK) throw new NetworkError('INVALID_OPTION', `${DEFAULT_NETWORK} is a pre-defined network and cannot be removed`, n.name);
  const attached = listEndpoints(db, { networkId: n.id });
  if (attached.length) {
    throw new NetworkError('NETWORK_IN_USE', `network ${n.name} has active endpoints: ${attached.map((e) => e.containerName).join(', ')}`, n.name);
  }
  teardownBridge(db, n, deps);
  deleteNetworkRecord(db, n.id);
}

export function listNetworks(db: Database): NetworkRecord[] {
  return listNetworkRecords(db);
}

/** Removes every user network with no containers attached; returns their names. */
export function pruneNetworks(db: Database, deps: NetworkDeps = systemDeps()): string[] {
  const removed: string[] = [];
  for (const n of listNetworkRecords(db)) {
    if (n.name === DEFAULT_NETWORK || listEndpoints(db, { networkId: n.id }).length) continue;
    removeNetwork(db, n.id, deps);
    removed.push(n.name);
  }
  return removed;
}

export type NetworkMode =
  | { kind: 'bridge'; network: string }
  | { kind: 'host' }
  | { kind: 'none' }
  | { kind: 'container'; container: string };

/** `--network` values: bridge (default), host, none, container:NAME|ID, or a network name. */
export function parseNetworkMode(value: string | undefined): NetworkMode {
  const v = value ?? DEFAULT_NETWORK;
  if (v === 'host' || v === 'none') return { kind: v };
  if (v.startsWith('container:')) {
    const container = v.slice('container:'.length);
    if (!container) throw new NetworkError('INVALID_OPTION', '--network container: needs a container name or id', v);
    return { kind: 'container', container };
  }
  return { kind: 'bridge', network: v === 'default' ? DEFAULT_NETWORK : v };
}
