// IPv4 addresses as unsigned 32-bit integers, and subnets in CIDR notation.
import { NetworkError } from './errors.js';

export interface Subnet {
  /** The network address (host bits zero). */
  base: number;
  prefixLen: number;
}

export function parseIPv4(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255)) {
    throw new NetworkError('INVALID_ADDRESS', `not an IPv4 address: ${text}`, text);
  }
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}

export function isIPv4(text: string): boolean {
  try {
    parseIPv4(text);
    return true;
  } catch {
    return false;
  }
}

export function formatIPv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export function ipToBytes(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b;
}

export function maskOf(prefixLen: number): number {
  return prefixLen === 0 ? 0 : (0xffffffff << (32 - prefixLen)) >>> 0;
}

/** Parses "a.b.c.d/n"; host bits must be zero unless `loose`. */
export function parseCidr(text: string, loose = false): Subnet {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(text);
  if (!m || Number(m[2]) > 32) throw new NetworkError('INVALID_ADDRESS', `not an IPv4 CIDR: ${text}`, text);
  const prefixLen = Number(m[2]);
  const addr = parseIPv4(m[1]!);
  const base = (addr & maskOf(prefixLen)) >>> 0;
  if (!loose && base !== addr) throw new NetworkError('INVALID_ADDRESS', `${text} has host bits set (did you mean ${formatCidr({ base, prefixLen })}?)`, text);
  return { base, prefixLen };
}

export function formatCidr(s: Subnet): string {
  return `${formatIPv4(s.base)}/${s.prefixLen}`;
}

export function subnetSize(s: Subnet): number {
  return 2 ** (32 - s.prefixLen);
}

export function lastAddress(s: Subnet): number {
  return s.base + subnetSize(s) - 1;
}

export function contains(s: Subnet, ip: number): boolean {
  return ((ip & maskOf(s.prefixLen)) >>> 0) === s.base;
}

export function overlaps(a: Subnet, b: Subnet): boolean {
  return a.prefixLen <= b.prefixLen ? contains(a, b.base) : contains(b, a.base);
}

export function isLoopback(text: string): boolean {
  return text === '::1' || /^127\./.test(text);
}
