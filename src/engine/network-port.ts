// The engine's side of networking: `none` and `host` are handled here; every other mode goes to
// the network module (src/engine/network), loaded only when a container needs it.
import { readFileSync } from 'node:fs';
import { hostname as hostHostname } from 'node:os';
import { extraHostEntries, hostsFile } from '../network/etc/hosts.js';
import { resolvConfFile } from '../network/etc/resolvconf.js';
import type { StateDb } from '../state/db.js';
import type { EndpointPreset } from './network/preset.js';
import type { ContainerNetworkPlan, ContainerNetworkRequest } from './network/types.js';

export type { ContainerNetworkPlan, ContainerNetworkRequest } from './network/types.js';
export type NetworkSettings = Record<string, unknown>;

interface NetworkModule {
  planContainerNetwork(req: ContainerNetworkRequest): ContainerNetworkPlan;
  connectContainerNetwork(req: ContainerNetworkRequest, initPid: number): Promise<NetworkSettings>;
  disconnectContainerNetwork(db: StateDb, containerId: string, opts?: { namespaceEnded?: boolean }): void;
  forgetContainerNetwork(db: StateDb, containerId: string): void;
  checkEndpointPreset(db: StateDb, networkMode: string, preset: EndpointPreset): void;
  presetEndpoint(db: StateDb, containerId: string, networkMode: string, preset: EndpointPreset): void;
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

function resolvConf(req: ContainerNetworkRequest): string {
  return resolvConfFile({ host: readHost('/etc/resolv.conf', ''), dns: req.dns, dnsSearch: req.dnsSearch, dnsOptions: req.dnsOptions });
}

function extraHosts(req: ContainerNetworkRequest): string {
  return extraHostEntries(req.addHosts, '127.0.0.1').map((e) => `${e.ip}\t${e.names.join(' ')}\n`).join('');
}

const LOCAL_MODES: Record<string, (req: ContainerNetworkRequest) => ContainerNetworkPlan> = {
  none: (req) => ({
    namespaces: [{ type: 'network' }],
    files: { hosts: hostsFile({ hostname: req.hostname, addresses: [], extraHosts: extraHostEntries(req.addHosts, '127.0.0.1') }), hostname: `${req.hostname}\n`, resolvConf: resolvConf(req) },
  }),
  host: (req) => ({
    namespaces: [],
    // the host's own files, as docker gives a --network host container
    files: { hosts: readHost('/etc/hosts', hostsFile({ hostname: hostHostname(), addresses: [] })) + extraHosts(req), hostname: `${hostHostname()}\n`, resolvConf: resolvConf(req) },
  }),
};

/** `none` and `host`: nothing of the network module (nor its lock) is involved. */
export function isLocalMode(mode: string): boolean {
  return mode in LOCAL_MODES;
}

export async function planNetwork(req: ContainerNetworkRequest): Promise<{ plan: ContainerNetworkPlan; external: boolean }> {
  const local = LOCAL_MODES[req.mode];
  if (local) return { plan: local(req), external: false };
  return { plan: (await networkModule()).planContainerNetwork(req), external: true };
}

export async function connectNetwork(req: ContainerNetworkRequest, initPid: number): Promise<NetworkSettings> {
  if (LOCAL_MODES[req.mode]) return { Networks: { [req.mode]: {} }, Ports: {} };
  return (await networkModule()).connectContainerNetwork(req, initPid);
}

/** Idempotent. `namespaceEnded`: no process is left in the container's network namespace. */
export async function disconnectNetwork(db: StateDb, containerId: string, mode: string, opts: { namespaceEnded?: boolean } = {}): Promise<void> {
  if (LOCAL_MODES[mode]) return;
  (await networkModule()).disconnectContainerNetwork(db, containerId, opts);
}

/** Forgets a removed container's endpoints and addresses; idempotent. */
export async function forgetNetwork(db: StateDb, containerId: string, mode: string): Promise<void> {
  if (LOCAL_MODES[mode]) return;
  (await networkModule()).forgetContainerNetwork(db, containerId);
}

/** Throws unless --ip/--network-alias can apply to the network mode (a user network that exists). */
export async function checkEndpointPreset(db: StateDb, networkMode: string, preset: EndpointPreset): Promise<void> {
  (await networkModule()).checkEndpointPreset(db, networkMode, preset);
}

export async function presetEndpoint(db: StateDb, containerId: string, networkMode: string, preset: EndpointPreset): Promise<void> {
  (await networkModule()).presetEndpoint(db, containerId, networkMode, preset);
}
