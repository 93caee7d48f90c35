// Network create, rm and prune, each under the engine's networks lock (see
// locks/container-lock.ts for the order), so that a removal's check for attached containers and
// the removal itself are one step for every vessel process sharing the root; `network connect`
// and `disconnect` under the container's lock, then the networks lock.
import { createNetwork, DEFAULT_NETWORK, listEndpoints, listNetworks, removeNetwork, requireNetwork, type NetworkRecord, type NetworkSpec } from '../../network/index.js';
import type { StateDb } from '../../state/db.js';
import type { ContainerRecord } from '../config/types.js';
import type { Engine } from '../engine.js';
import { EngineError } from '../errors.js';
import { withContainer, withNetworksLock } from '../locks/container-lock.js';
import { linkedContainers } from './config.js';
import { connectNetwork, disconnectNetwork } from './connect.js';
import type { ContainerRef, NetworkSettings } from './types.js';

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

function refOf(rec: ContainerRecord): ContainerRef {
  return { id: rec.id, name: rec.name, pid: rec.state === 'running' ? rec.pid : 0 };
}

export function connectContainer(engine: Engine, network: string, ref: string, opts: { ip?: string; aliases?: string[] } = {}): Promise<NetworkSettings> {
  return withContainer(engine, ref, (rec) => withNetworksLock(engine.root, () => connectNetwork({ db: engine.images.db, network, container: refOf(rec), ...opts })));
}

export function disconnectContainer(engine: Engine, network: string, ref: string): Promise<void> {
  return withContainer(engine, ref, (rec) => withNetworksLock(engine.root, () => disconnectNetwork(engine.images.db, network, refOf(rec))));
}
