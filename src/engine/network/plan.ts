// Before a container is created: check its network request and say which namespace it gets and
// what its /etc files hold. Creates nothing.
import { existsSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { sqlOf } from './db.js';
import { conflictingPorts } from '../../network/ipam.js';
import { EMBEDDED_RESOLVER_ADDRESS } from '../../network/dns/protocol.js';
import { DEFAULT_NETWORK, exposedPortMappings, parseNetworkMode, parsePortSpec, requireNetwork, type NetworkMode, type PublishedPort } from '../../network/index.js';
import { ContainerNetworkError } from './errors.js';
import { containerHosts, hostModeHosts, hostModeResolvConf, hostnameFile, resolvConfFor } from './files.js';
import { busyHostPort } from './hostports.js';
import type { ContainerNetworkPlan, ContainerNetworkRequest, ContainerRef } from './types.js';

export function requestedPorts(req: ContainerNetworkRequest): PublishedPort[] {
  return [...req.ports.flatMap(parsePortSpec), ...(req.publishAll ? exposedPortMappings(req.exposedPorts) : [])];
}

export function isUserNetwork(name: string): boolean {
  return name !== DEFAULT_NETWORK;
}

function conflict(req: ContainerNetworkRequest, what: string): ContainerNetworkError {
  return new ContainerNetworkError('CONFLICTING_OPTIONS', `conflicting options: ${what} and the network mode ${req.mode}`, req.containerId);
}

/** The running container a `container:` mode joins. */
export function targetContainer(req: ContainerNetworkRequest, nameOrId: string): ContainerRef & { pid: number } {
  if (!req.resolveContainer) throw new ContainerNetworkError('INVALID_NETWORK_MODE', `--network container:${nameOrId} needs the engine to resolve containers`, req.containerId);
  const target = req.resolveContainer(nameOrId);
  if (!target) throw new ContainerNetworkError('INVALID_NETWORK_MODE', `no such container: ${nameOrId}`, nameOrId);
  if (target.id === req.containerId) throw new ContainerNetworkError('INVALID_NETWORK_MODE', 'cannot join own network namespace', nameOrId);
  if (!target.pid || !existsSync(`/proc/${target.pid}/ns/net`)) {
    throw new ContainerNetworkError('CONTAINER_NOT_RUNNING', `cannot join the network of container ${nameOrId}: it is not running`, nameOrId);
  }
  return { ...target, pid: target.pid };
}

/** Checks that do not depend on the mode's kind, then the kind's own. */
function validate(req: SqlRequest, mode: NetworkMode, ports: PublishedPort[]): void {
  const own = mode.kind === 'bridge';
  if (ports.length && !own) throw conflict(req, 'port publishing');
  const user = mode.kind === 'bridge' && isUserNetwork(mode.network);
  if (req.ip && !user) throw new ContainerNetworkError('CONFLICTING_OPTIONS', 'user specified IP address is supported on user defined networks only', req.containerId);
  if (req.aliases.length && !user) throw new ContainerNetworkError('CONFLICTING_OPTIONS', 'network-scoped alias is supported only for containers in user defined networks', req.containerId);
  if (mode.kind === 'container' && (req.dns.length || req.dnsSearch.length || req.dnsOptions.length)) throw conflict(req, 'dns');
  if (mode.kind === 'container' && req.addHosts.length) throw conflict(req, 'custom host-to-IP mapping');
  if (mode.kind === 'bridge' && mode.network !== DEFAULT_NETWORK) requireNetwork(req.db, mode.network);
  const published = conflictingPorts(req.db, ports)[0];
  if (published) throw new ContainerNetworkError('PORT_IN_USE', `host port ${published.port.hostIp}:${published.port.hostPort}/${published.port.protocol} is already published by container ${published.containerId.slice(0, 12)}`, req.containerId);
  const busy = busyHostPort(ports);
  if (busy) throw new ContainerNetworkError('PORT_IN_USE', `host port ${busy.hostIp}:${busy.hostPort}/${busy.protocol} is already in use`, req.containerId);
}

type SqlRequest = ContainerNetworkRequest & { db: Database };
type Planner<K extends NetworkMode['kind']> = (req: SqlRequest, mode: Extract<NetworkMode, { kind: K }>) => ContainerNetworkPlan;

const PLANNERS: { [K in NetworkMode['kind']]: Planner<K> } = {
  host: (req) => ({
    namespaces: [],
    files: { hosts: hostModeHosts(req.addHosts), hostname: hostnameFile(req.hostname), resolvConf: hostModeResolvConf(req) },
  }),
  none: (req) => ({
    namespaces: [{ type: 'network' }],
    files: { hosts: containerHosts(req.db, req.containerId, req.hostname, req.addHosts), hostname: hostnameFile(req.hostname), resolvConf: resolvConfFor(req) },
  }),
  container: (req, mode) => {
    const target = targetContainer(req, mode.container);
    const n = onUserNetwork(req, target.id) ? EMBEDDED_RESOLVER_ADDRESS : undefined;
    return {
      namespaces: [{ type: 'network', path: `/proc/${target.pid}/ns/net` }],
      files: { hosts: containerHosts(req.db, target.id, req.hostname, []), hostname: hostnameFile(req.hostname), resolvConf: resolvConfFor(req, n) },
    };
  },
  bridge: (req, mode) => {
    const n = isUserNetwork(mode.network) ? EMBEDDED_RESOLVER_ADDRESS : undefined;
    return {
      namespaces: [{ type: 'network' }],
      files: { hosts: containerHosts(req.db, req.containerId, req.hostname, req.addHosts), hostname: hostnameFile(req.hostname), resolvConf: resolvConfFor(req, n) },
    };
  },
};

/** Whether `targetId`'s namespace, which a `container:` mode shares, has the embedded resolver. */
function onUserNetwork(req: SqlRequest, targetId: string): boolean {
  return req.db.prepare(`SELECT 1 FROM network_endpoints e JOIN networks n ON n.id = e.network_id
    WHERE e.container_id = ? AND n.name != ? LIMIT 1`).get(targetId, DEFAULT_NETWORK) !== undefined;
}

export function planContainerNetwork(request: ContainerNetworkRequest): ContainerNetworkPlan {
  const req = { ...request, db: sqlOf(request.db) };
  const mode = parseNetworkMode(req.mode);
  validate(req, mode, requestedPorts(req));
  return (PLANNERS[mode.kind] as Planner<typeof mode.kind>)(req, mode as never);
}

export function checkContainerNetwork(req: ContainerNetworkRequest & { db: Database }): NetworkMode {
  const mode = parseNetworkMode(req.mode);
  validate(req, mode, requestedPorts(req));
  return mode;
}
