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

/** Parses `--add-host NAME:IP` (the IP may be IPv6, so only the first colon separates). */
export function parseAddHost(spec: string): HostsEntry {
  const i = spec.indexOf(':');
  const name = spec.slice(0, i);
  const ip = spec.slice(i + 1).replace(/^\[(.*)\]$/, '$1');
  if (i <= 0 || !ip) throw new Error(`invalid --add-host ${JSON.stringify(spec)}: expected NAME:IP`);
  return { ip, names: [name] };
}
