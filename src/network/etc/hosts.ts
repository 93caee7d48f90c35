// The container's /etc/hosts.

export interface HostsEntry {
  ip: string;
  names: string[];
}

export interface HostsOptions {
  hostname: string;
  /** The container's addresses on its networks, each with its extra names (container name, aliases). */
  addresses: HostsEntry[];
  /** --add-host NAME:IP */
  extraHosts?: HostsEntry[];
}

const BASE = [
  '127.0.0.1\tlocalhost',
  '::1\tlocalhost ip6-localhost ip6-loopback',
  'fe00::0\tip6-localnet',
  'ff00::0\tip6-mcastprefix',
  'ff02::1\tip6-allnodes',
  'ff02::2\tip6-allrouters',
];

export function hostsFile(o: HostsOptions): string {
  const line = (e: HostsEntry) => `${e.ip}\t${[...new Set(e.names)].join(' ')}`;
  const own = o.addresses.length
    ? o.addresses.map((a) => line({ ip: a.ip, names: [o.hostname, ...a.names] }))
    : [`127.0.1.1\t${o.hostname}`];
  return [...BASE, ...(o.extraHosts ?? []).map(line), ...own].join('\n') + '\n';
}

/**
 * Splits `--add-host NAME:IP` or `NAME=IP` (docker 25+). Only the first separator counts, so an
 * IPv6 address keeps its colons; `[v6]` loses its brackets. The engine validates the parts.
 */
export function parseAddHost(spec: string): HostsEntry {
  let i = spec.indexOf('=');
  if (i < 0) i = spec.indexOf(':');
  const name = spec.slice(0, i);
  let ip = spec.slice(i + 1);
  if (ip.length > 2 && ip.startsWith('[') && ip.endsWith(']')) ip = ip.slice(1, -1);
  if (i <= 0 || !ip) throw new Error(`invalid --add-host ${JSON.stringify(spec)}: expected NAME:IP`);
  return { ip, names: [name] };
}

/** docker's name for the host in --add-host (`NAME:host-gateway`). */
export const HOST_GATEWAY = 'host-gateway';

/**
 * The --add-host entries with `host-gateway` replaced by `hostGateway`: the gateway of the
 * container's network (the host's address on its bridge), or 127.0.0.1 when it shares the host's
 * network namespace.
 */
export function extraHostEntries(specs: string[], hostGateway: string): HostsEntry[] {
  return specs.map(parseAddHost).map((e) => (e.ip === HOST_GATEWAY ? { ...e, ip: hostGateway } : e));
}
