// Network create, rm and prune, each under the engine's networks lock (see
// locks/container-lock.ts for the order), so that a removal's check for attached containers and
// the removal itself are one step for every vessel process sharing the root.
import { createNetwork, DEFAULT_NETWORK, listEndpoints, listNetworks, removeNetwork, requireNetwork, type NetworkRecord, type NetworkSpec } from '../../network/index.js';
import type { StateDb } from '../../state/db.js';
import { EngineError } from '../errors.js';
import { withNetworksLock } from '../locks/container-lock.js';
import { linkedContainers } from './config.js';

export function createUserNetwork(root: string, db: StateDb, spec: NetworkSpec): Promise<NetworkRecord> {
  return withNetworksLock(root, () => createNetwork(db.sql, spec));
}

/** Refused while a container (running or not) is configured for the network. */
export function removeUserNetwork(root: string, db: StateDb, ref: string): Promise<NetworkRecord> {
  return withNetworksLock(root, () => {
    const n = requireNetwork(db.sql, ref);
    const linked = linkedContainers(db.sql, n.id);
    if (linked.length) throw new EngineError('BAD_STATE', `network ${n.name} is in use by container(s) ${linked.map((c) => c.slice(0, 12)).join(', ')}`, n.name);
    removeNetwork(db.sql, n.id);
    return n;
  });
}

/** Every user network no container uses; returns their names. */
export function pruneUserNetworks(root: string, db: StateDb): Promise<string[]> {
  return withNetworksLock(root, () => {
    const removed: string[] = [];
    for (const n of listNetworks(db.sql)) {
      if (n.name === DEFAULT_NETWORK || listEndpoints(db.sql, { networkId: n.id }).length || linkedContainers(db.sql, n.id).length) continue;
      removeNetwork(db.sql, n.id);
      removed.push(n.name);
    }
    return removed;
  });
}
