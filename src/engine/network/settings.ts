// docker inspect's NetworkSettings for a container, from the network library's records.
import { fnv1a64 } from '../../hash/fnv.js';
import { containerEndpoints, DEFAULT_NETWORK, getNetwork, parseNetworkMode, type AttachResult } from '../../network/index.js';
import { getConfig, listLinks } from './config.js';
import { sqlOf, type EngineDb } from './db.js';
import type { EndpointSettings, NetworkSettings, PortBinding } from './types.js';

/** 64 hex digits, stable for the container on the network (docker's are random; any unique id will do). */
export function endpointId(networkId: string, containerId: string): string {
  return [0, 1, 2, 3].map((i) => fnv1a64(`endpoint/${i}/${networkId}/${containerId}`)).join('');
}

function emptyEndpoint(networkId: string): EndpointSettings {
  return {
    IPAMConfig: null,
    Links: null,
    Aliases: null,
    MacAddress: '',
    DriverOpts: null,
    NetworkID: networkId,
    EndpointID: '',
    Gateway: '',
    IPAddress: '',
    IPPrefixLen: 0,
    IPv6Gateway: '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    DNSNames: null,
  };
}

function connectedEndpoint(containerId: string, containerName: string, e: AttachResult, staticIp: string | null): EndpointSettings {
  const user = e.networkName !== DEFAULT_NETWORK;
  return {
    ...emptyEndpoint(e.networkId),
    IPAMConfig: staticIp ? { IPv4Address: staticIp } : null,
    Aliases: user ? e.aliases : null,
    MacAddress: e.mac,
    EndpointID: endpointId(e.networkId, containerId),
    Gateway: e.gateway,
    IPAddress: e.ip,
    IPPrefixLen: e.prefixLen,
    DNSNames: user ? [containerName, containerId.slice(0, 12), ...e.aliases] : null,
  };
}

export function containerNetworkSettings(engineDb: EngineDb, containerId: string): NetworkSettings {
  const db = sqlOf(engineDb);
  const config = getConfig(db, containerId);
  const endpoints = containerEndpoints(db, containerId);
  const links = listLinks(db, containerId);
  const networks: Record<string, EndpointSettings> = {};
  const mode = config ? parseNetworkMode(config.mode) : undefined;
  // a stopped container still shows the networks it will join, without addresses
  if (mode?.kind === 'host' || mode?.kind === 'none') networks[mode.kind] = emptyEndpoint(getNetwork(db, mode.kind)?.id ?? '');
  if (mode?.kind === 'bridge') networks[mode.network] = emptyEndpoint(getNetwork(db, mode.network)?.id ?? '');
  for (const l of links) {
    const n = getNetwork(db, l.networkId);
    if (n) networks[n.name] = emptyEndpoint(n.id);
  }
  const ports: Record<string, PortBinding[]> = {};
  for (const e of endpoints) {
    const staticIp = links.find((l) => l.networkId === e.networkId)?.ip ?? null;
    networks[e.networkName] = connectedEndpoint(containerId, config?.containerName ?? '', e, staticIp);
    for (const p of e.ports) (ports[`${p.containerPort}/${p.protocol}`] ??= []).push({ HostIp: p.hostIp, HostPort: String(p.hostPort) });
  }
  const primary = endpoints.find((e) => e.networkName === DEFAULT_NETWORK);
  return {
    Bridge: '',
    SandboxID: '',
    SandboxKey: '',
    HairpinMode: false,
    LinkLocalIPv6Address: '',
    LinkLocalIPv6PrefixLen: 0,
    Ports: ports,
    SecondaryIPAddresses: null,
    SecondaryIPv6Addresses: null,
    EndpointID: primary ? endpointId(primary.networkId, containerId) : '',
    Gateway: primary?.gateway ?? '',
    GlobalIPv6Address: '',
    GlobalIPv6PrefixLen: 0,
    IPAddress: primary?.ip ?? '',
    IPPrefixLen: primary?.prefixLen ?? 0,
    IPv6Gateway: '',
    MacAddress: primary?.mac ?? '',
    Networks: networks,
  };
}
