// Connecting a container's network namespace when it starts, and undoing it when it stops; and
// `network connect`/`disconnect`, which also act on running containers (eth1, eth2…).
import type { Database } from 'better-sqlite3';
import { attachContainer, containerEndpoints, DEFAULT_NETWORK, detachContainer, ensureNetwork, getNetwork, listEndpoints, requireNetwork, type NetworkRecord } from '../../network/index.js';
import { releaseContainerNames, serveContainerNames } from '../../network/dns/control.js';
import { setContainerUpstreams } from '../../network/dns/upstreams.js';
import { setLinkUp, getLink } from '../../network/netlink/link.js';
import { withRouteSocket } from '../../network/netlink/messages.js';
import { netlinkSys } from '../../sys/netlink.js';
import { addLink, forgetConfig, getConfig, listLinks, removeLink, saveConfig, type NetworkLink } from './config.js';
import { ContainerNetworkError } from './errors.js';
import { UndoStack } from '../../undo.js';
import { containerHosts, rewriteInPlace } from './files.js';
import { checkContainerNetwork, isUserNetwork, requestedPorts } from './plan.js';
import { containerNetworkSettings } from './settings.js';
import { sqlOf, type EngineDb } from './db.js';
import type { ContainerNetworkRequest, ContainerRef, NetworkSettings } from './types.js';

const netnsOf = (pid: number) => `/proc/${pid}/ns/net`;

function bringLoopbackUp(netnsPath: string): void {
  withRouteSocket(netlinkSys(), netnsPath, (s) => {
    const lo = getLink(s, 'lo');
    if (lo && !lo.up) setLinkUp(s, lo.index, true);
  });
}

/** The first ethN not used by the container's current endpoints. */
function nextIfName(db: Database, containerId: string): string {
  const used = new Set(listEndpoints(db, { containerId }).map((e) => e.ifName));
  let i = 0;
  while (used.has(`eth${i}`)) i++;
  return `eth${i}`;
}

/**
 * When a user network is joined: the embedded resolver answers on 127.0.0.11:53 inside the
 * container's namespace before this returns (so before its process starts, or before `network
 * connect` returns). Its endpoints are in the database already: the resolver reads names there.
 */
function serveNames(db: Database, containerId: string, netnsPath: string, networks: NetworkRecord[]): void {
  if (networks.some((n) => isUserNetwork(n.name))) serveContainerNames(db.name, containerId, netnsPath);
}

function onUserNetwork(db: Database, networkId: string): boolean {
  return isUserNetwork(getNetwork(db, networkId)?.name ?? DEFAULT_NETWORK);
}

/** A resolver that does not answer must not fail a stop: its periodic look lets go later. */
function releaseQuietly(db: Database, containerId: string): void {
  try {
    releaseContainerNames(db.name, containerId);
  } catch {
    // its own sweep closes the sockets once the endpoints are gone from the database
  }
}

function refreshHosts(db: Database, containerId: string): void {
  const c = getConfig(db, containerId);
  if (c?.hostsPath) rewriteInPlace(c.hostsPath, containerHosts(db, containerId, c.hostname, c.addHosts));
}

/**
 * After the container's namespace exists (/proc/INITPID/ns/net), before its process starts: joins
 * its network (and those added with `network connect`), publishes its ports, serves its name.
 * On failure everything done here is undone.
 */
export async function connectContainerNetwork(request: ContainerNetworkRequest, initPid: number): Promise<NetworkSettings> {
  const req = { ...request, db: sqlOf(request.db) };
  const mode = checkContainerNetwork(req);
  const { db, containerId } = req;
  saveConfig(db, { containerId, containerName: req.containerName, mode: req.mode, hostname: req.hostname, hostsPath: req.hostsPath ?? null, addHosts: req.addHosts });
  const undo = new UndoStack();
  undo.push(`disconnect container ${containerId.slice(0, 12)}`, () => disconnectContainerNetwork(db, containerId));
  try {
    if (mode.kind === 'none') bringLoopbackUp(netnsOf(initPid));
    if (mode.kind === 'bridge') {
      const primary = ensureNetwork(db, mode.network);
      const netns = netnsOf(initPid);
      // --ip and --network-alias given at create are recorded as the primary network's link
      const preset = listLinks(db, containerId).find((x) => x.networkId === primary.id);
      const ip = req.ip ?? preset?.ip ?? undefined;
      const aliases = [...req.aliases, ...(preset?.aliases ?? [])];
      await attachContainer({ db, containerId, containerName: req.containerName, netnsPath: netns, network: primary.id, ip, aliases, ports: requestedPorts(req), ifName: 'eth0' });
      const joined = [primary];
      for (const l of listLinks(db, containerId).filter((x) => x.networkId !== primary.id)) {
        joined.push(await attachLink(db, req.containerName, l, netns));
      }
      setContainerUpstreams(db, containerId, req.dns);
      serveNames(db, containerId, netns, joined);
      refreshHosts(db, containerId);
    }
    return containerNetworkSettings(db, containerId);
  } catch (e) {
    return undo.failSync(e, (message, cause) => new ContainerNetworkError('CONNECT_FAILED', message, containerId, { cause }));
  }
}

async function attachLink(db: Database, containerName: string, l: NetworkLink, netnsPath: string): Promise<NetworkRecord> {
  const n = requireNetwork(db, l.networkId);
  await attachContainer({ db, containerId: l.containerId, containerName, netnsPath, network: n.id, ip: l.ip ?? undefined, aliases: l.aliases, ifName: nextIfName(db, l.containerId) });
  return n;
}

/**
 * At stop or cleanup: removes the container's port rules, veths and addresses on every network
 * (the veths are left to the kernel when `namespaceEnded`: see DetachOptions). Idempotent. What
 * it will rejoin at the next start (mode, `network connect`s) is kept.
 */
export function disconnectContainerNetwork(engineDb: EngineDb, containerId: string, opts: { namespaceEnded?: boolean } = {}): void {
  const db = sqlOf(engineDb);
  const errors: Error[] = [];
  const endpoints = listEndpoints(db, { containerId });
  // The embedded resolver's sockets keep the namespace, and so its veths, alive after its last
  // process: they go first, so that an ended namespace can take its veths with it.
  if (endpoints.some((ep) => onUserNetwork(db, ep.networkId))) releaseQuietly(db, containerId);
  for (const ep of endpoints) {
    try {
      detachContainer({ db, containerId, network: ep.networkId, namespaceEnded: opts.namespaceEnded });
    } catch (e) {
      errors.push(e as Error);
    }
  }
  setContainerUpstreams(db, containerId, []);
  if (errors.length) throw new ContainerNetworkError('CONNECT_FAILED', `disconnecting ${containerId.slice(0, 12)}: ${errors.map((e) => e.message).join('; ')}`, containerId, { cause: errors[0] });
}

/** At container removal: disconnects it and forgets its network configuration. */
export function forgetContainerNetwork(db: EngineDb, containerId: string): void {
  disconnectContainerNetwork(db, containerId);
  forgetConfig(sqlOf(db), containerId);
}

export interface ConnectOptions {
  db: EngineDb;
  /** Network name or id. */
  network: string;
  container: ContainerRef;
  ip?: string;
  aliases?: string[];
}

function refuseSpecialModes(db: Database, container: ContainerRef, verb: string): void {
  const mode = getConfig(db, container.id)?.mode;
  if (mode === 'host' || mode === 'none' || mode?.startsWith('container:')) {
    throw new ContainerNetworkError('CONFLICTING_OPTIONS', `container ${container.name} uses network mode ${mode}: it cannot be ${verb} networks`, container.id);
  }
}

/**
 * `network connect`: records the network for the container's every start, and joins it now if
 * the container runs (as the next free ethN inside its namespace).
 */
export async function connectNetwork(o: ConnectOptions): Promise<NetworkSettings> {
  const { container } = o;
  const db = sqlOf(o.db);
  const n = o.network === DEFAULT_NETWORK ? ensureNetwork(db, DEFAULT_NETWORK) : requireNetwork(db, o.network);
  if ((o.ip || o.aliases?.length) && !isUserNetwork(n.name)) throw new ContainerNetworkError('CONFLICTING_OPTIONS', 'user specified IP address and aliases are supported on user defined networks only', container.id);
  refuseSpecialModes(db, container, 'connected to');
  const already = containerEndpoints(db, container.id).some((e) => e.networkId === n.id) || listLinks(db, container.id).some((l) => l.networkId === n.id) || getConfig(db, container.id)?.mode === n.name;
  if (already) throw new ContainerNetworkError('ALREADY_CONNECTED', `endpoint with name ${container.name} already exists in network ${n.name}`, container.id);
  const link: NetworkLink = { containerId: container.id, networkId: n.id, ip: o.ip ?? null, aliases: o.aliases ?? [] };
  addLink(db, link);
  try {
    if (container.pid) {
      await attachLink(db, container.name, link, netnsOf(container.pid));
      serveNames(db, container.id, netnsOf(container.pid), [n]);
      refreshHosts(db, container.id);
    }
  } catch (e) {
    detachContainer({ db, containerId: container.id, network: n.id });
    removeLink(db, container.id, n.id);
    throw e;
  }
  return containerNetworkSettings(db, container.id);
}

/** `network disconnect`: leaves the network now (if running) and at later starts. */
export function disconnectNetwork(engineDb: EngineDb, network: string, container: ContainerRef): void {
  const db = sqlOf(engineDb);
  const n = requireNetwork(db, network);
  refuseSpecialModes(db, container, 'disconnected from');
  const detached = detachContainer({ db, containerId: container.id, network: n.id });
  const unlinked = removeLink(db, container.id, n.id);
  if (!detached && !unlinked) throw new ContainerNetworkError('NOT_CONNECTED', `container ${container.name} is not connected to network ${n.name}`, container.id);
  if (detached) refreshHosts(db, container.id);
  const userNetworksLeft = listEndpoints(db, { containerId: container.id }).some((ep) => onUserNetwork(db, ep.networkId));
  if (detached && isUserNetwork(n.name) && !userNetworksLeft) releaseQuietly(db, container.id);
}
