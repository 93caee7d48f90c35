// The engine's side of networking: `none` and `host` are handled here; every other mode goes to
// the network module (src/engine/network), loaded only when a container needs it.
import { readFileSync } from 'node:fs';
import { hostname as hostHostname } from 'node:os';
import type { StateDb } from '../state/db.js';
import type { ContainerNetworkPlan, ContainerNetworkRequest } from './network/types.js';

export type { ContainerNetworkPlan, ContainerNetworkRequest } from './network/types.js';
export type NetworkSettings = Record<string, unknown>;

interface NetworkModule {
  planContainerNetwork(req: ContainerNetworkRequest): ContainerNetworkPlan;
  connectContainerNetwork(req: ContainerNetworkRequest, initPid: number): Promise<NetworkSettings>;
  disconnectContainerNetwork(db: StateDb, containerId: string): void;
  forgetContainerNetwork(db: StateDb, containerId: string): void;
}

let loaded: Promise<NetworkModule> | undefined;

/** The network module, loaded on first use: `none` and `host` containers never pay for it. */
function networkModule(): Promise<NetworkModule> {
  loaded ??= import('./network/index.js').then((m) => m as unknown as NetworkModule);
  return loaded;
}

function readHost(path: string, fallback: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return fallback;
  }
}

const LOCAL_HOSTS = '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nff00::0\tip6-mcastprefix\nff02::1\tip6-allnodes\nff02::2\tip6-allrouters\n';

function resolvConf(req: ContainerNetworkRequest): string {
  const host = readHost('/etc/resolv.conf', '').split('\n').filter((l) => /^(nameserver|search|options)\s/.test(l));
  const ns = req.dns.length ? req.dns.map((d) => `nameserver ${d}`) : host.filter((l) => l.startsWith('nameserver') && !/\s127\./.test(l));
  const search = req.dnsSearch.length ? [`search ${req.dnsSearch.join(' ')}`] : host.filter((l) => l.startsWith('search'));
  const options = req.dnsOptions.length ? [`options ${req.dnsOptions.join(' ')}`] : host.filter((l) => l.startsWith('options'));
  return [...search, ...ns, ...options].join('\n') + '\n';
}

function extraHosts(req: ContainerNetworkRequest): string {
  return req.addHosts.map((h) => {
    const i = h.indexOf(':');
    return `${h.slice(i + 1)}\t${h.slice(0, i)}\n`;
  }).join('');
}

const LOCAL_MODES: Record<string, (req: ContainerNetworkRequest) => ContainerNetworkPlan> = {
  none: (req) => ({
    namespaces: [{ type: 'network' }],
    files: { hosts: LOCAL_HOSTS + extraHosts(req), hostname: `${req.hostname}\n`, resolvConf: resolvConf(req) },
  }),
  host: (req) => ({
    namespaces: [],
    files: { hosts: readHost('/etc/hosts', LOCAL_HOSTS) + extraHosts(req), hostname: `${hostHostname()}\n`, resolvConf: resolvConf(req) },
  }),
};

export async function planNetwork(req: ContainerNetworkRequest): Promise<{ plan: ContainerNetworkPlan; external: boolean }> {
  const local = LOCAL_MODES[req.mode];
  if (local) return { plan: local(req), external: false };
  return { plan: (await networkModule()).planContainerNetwork(req), external: true };
}

export async function connectNetwork(req: ContainerNetworkRequest, initPid: number): Promise<NetworkSettings> {
  if (LOCAL_MODES[req.mode]) return { Networks: { [req.mode]: {} }, Ports: {} };
  return (await networkModule()).connectContainerNetwork(req, initPid);
}

/** Idempotent. */
export async function disconnectNetwork(db: StateDb, containerId: string, mode: string): Promise<void> {
  if (LOCAL_MODES[mode]) return;
  (await networkModule()).disconnectContainerNetwork(db, containerId);
}

/** Forgets a removed container's endpoints and addresses; idempotent. */
export async function forgetNetwork(db: StateDb, containerId: string, mode: string): Promise<void> {
  if (LOCAL_MODES[mode]) return;
  (await networkModule()).forgetContainerNetwork(db, containerId);
}
