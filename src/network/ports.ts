// Port publishing specs: `-p [IP:][HOSTPORT:]CONTAINERPORT[/tcp|/udp]` (ranges allowed) and `-P`.
import { NetworkError } from './errors.js';
import { isIPv4 } from './ip.js';

export type PortProtocol = 'tcp' | 'udp';

export interface PublishedPort {
  /** '0.0.0.0' for every host address. */
  hostIp: string;
  /** 0 until a random free port is chosen. */
  hostPort: number;
  containerPort: number;
  protocol: PortProtocol;
}

/** What the engine passes to attachContainer. */
export type PortMapping = PublishedPort;

const PROTOCOLS: readonly PortProtocol[] = ['tcp', 'udp'];

function invalid(spec: string, why: string): NetworkError {
  return new NetworkError('INVALID_PORT_SPEC', `invalid port spec ${JSON.stringify(spec)}: ${why}`, spec);
}

function parseRange(text: string, spec: string, what: string): [number, number] {
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text);
  if (!m) throw invalid(spec, `${what} ${JSON.stringify(text)} is not a port or range`);
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  if (lo < 1 || hi > 65535 || hi < lo) throw invalid(spec, `${what} ${text} is out of range`);
  return [lo, hi];
}

function parseProtocol(text: string | undefined, spec: string): PortProtocol {
  const p = (text ?? 'tcp').toLowerCase();
  if (!(PROTOCOLS as readonly string[]).includes(p)) throw invalid(spec, `protocol ${p} is not supported (tcp or udp)`);
  return p as PortProtocol;
}

/** Parses one `-p` value into one mapping per container port. */
export function parsePortSpec(spec: string): PublishedPort[] {
  const [addr, proto, extra] = spec.split('/');
  if (extra !== undefined || !addr) throw invalid(spec, 'expected [IP:][HOSTPORT:]CONTAINERPORT[/PROTOCOL]');
  const protocol = parseProtocol(proto, spec);
  if (addr.startsWith('[')) throw invalid(spec, 'IPv6 host addresses are not supported');
  const parts = addr.split(':');
  if (parts.length > 3) throw invalid(spec, 'too many colons (IPv6 host addresses are not supported)');
  const [hostIp, hostPart, containerPart] = parts.length === 3 ? parts : parts.length === 2 ? ['', parts[0]!, parts[1]!] : ['', '', parts[0]!];
  if (hostIp && !isIPv4(hostIp!)) throw invalid(spec, `host address ${hostIp} is not an IPv4 address`);
  const [cLo, cHi] = parseRange(containerPart!, spec, 'container port');
  const host = hostPart ? parseRange(hostPart, spec, 'host port') : null;
  if (host && host[1] - host[0] !== cHi - cLo) throw invalid(spec, 'host and container port ranges differ in size');
  const out: PublishedPort[] = [];
  for (let p = cLo; p <= cHi; p++) {
    out.push({ hostIp: hostIp || '0.0.0.0', hostPort: host ? host[0] + (p - cLo) : 0, containerPort: p, protocol });
  }
  return out;
}

/** `-P`: every exposed port ("80/tcp" keys of the image's ExposedPorts) on a random host port. */
export function exposedPortMappings(exposed: Record<string, unknown> | string[]): PublishedPort[] {
  const keys = Array.isArray(exposed) ? exposed : Object.keys(exposed);
  return keys.flatMap((k) => parsePortSpec(k));
}

export function formatPort(p: PublishedPort): string {
  return `${p.containerPort}/${p.protocol} -> ${p.hostIp}:${p.hostPort}`;
}
