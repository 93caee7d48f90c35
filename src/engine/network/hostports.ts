// Whether a host port is already taken, checked synchronously from /proc/net so a plan can refuse
// it before anything is created (the network library binds it again, authoritatively, at connect).
import { readFileSync } from 'node:fs';
import type { PublishedPort } from '../../network/index.js';

const LISTENING: Record<PublishedPort['protocol'], { files: string[]; state: string }> = {
  tcp: { files: ['/proc/net/tcp', '/proc/net/tcp6'], state: '0A' },
  udp: { files: ['/proc/net/udp', '/proc/net/udp6'], state: '07' },
};

/** A /proc/net IPv4 address ("0100007F", little-endian) as dotted text; IPv6 ones as "::". */
function procAddress(hex: string): string {
  if (hex.length !== 8) return '::';
  return [6, 4, 2, 0].map((i) => parseInt(hex.slice(i, i + 2), 16)).join('.');
}

export interface HostListener {
  ip: string;
  port: number;
}

export function hostListeners(protocol: PublishedPort['protocol']): HostListener[] {
  const { files, state } = LISTENING[protocol];
  const out: HostListener[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      if (f.length < 4 || f[3] !== state) continue;
      const [addr, port] = f[1]!.split(':') as [string, string];
      out.push({ ip: procAddress(addr), port: parseInt(port, 16) });
    }
  }
  return out;
}

/** The first requested port some host socket already holds. */
export function busyHostPort(ports: PublishedPort[]): PublishedPort | undefined {
  const listeners = { tcp: undefined as HostListener[] | undefined, udp: undefined as HostListener[] | undefined };
  return ports.find((p) => {
    if (p.hostPort === 0) return false;
    const ls = (listeners[p.protocol] ??= hostListeners(p.protocol));
    return ls.some((l) => l.port === p.hostPort && (p.hostIp === '0.0.0.0' || l.ip === '0.0.0.0' || l.ip === '::' || l.ip === p.hostIp));
  });
}
