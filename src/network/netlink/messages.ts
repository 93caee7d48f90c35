// Netlink message framing and a request/response socket over the native mechanism.
import { closeSync } from 'node:fs';
import type { NetlinkSys } from '../../sys/netlink.js';
import { activeTracer } from '../../trace/active.js';
import { NetworkError } from '../errors.js';
import { encodeAttributes, type Attribute } from './attributes.js';
import { describeAnswer, describeRequest } from './describe.js';

export const NETLINK_ROUTE = 0;
const NLMSG_HDRLEN = 16;

export const NLM_F = {
  REQUEST: 0x1,
  ACK: 0x4,
  ROOT: 0x100,
  MATCH: 0x200,
  DUMP: 0x300,
  REPLACE: 0x100,
  EXCL: 0x200,
  CREATE: 0x400,
} as const;

export const RTM = {
  NEWLINK: 16,
  DELLINK: 17,
  GETLINK: 18,
  SETLINK: 19,
  NEWADDR: 20,
  DELADDR: 21,
  GETADDR: 22,
  NEWROUTE: 24,
  DELROUTE: 25,
  GETROUTE: 26,
} as const;

const RTM_NAMES = Object.fromEntries(Object.entries(RTM).map(([k, v]) => [v, `RTM_${k}`])) as Record<number, string>;

export const AF = { UNSPEC: 0, INET: 2, BRIDGE: 7 } as const;

export interface NetlinkMessage {
  type: number;
  flags: number;
  /** The payload after the 16-byte header: a fixed family header, then attributes. */
  body: Buffer;
}

export function encodeMessage(type: number, flags: number, seq: number, header: Buffer, attrs: Attribute[]): Buffer {
  const payload = Buffer.concat([header, encodeAttributes(attrs)]);
  const h = Buffer.alloc(NLMSG_HDRLEN);
  h.writeUInt32LE(NLMSG_HDRLEN + payload.length, 0);
  h.writeUInt16LE(type, 4);
  h.writeUInt16LE(flags, 6);
  h.writeUInt32LE(seq >>> 0, 8);
  return Buffer.concat([h, payload]);
}

export function decodeMessage(buf: Buffer): NetlinkMessage {
  return { type: buf.readUInt16LE(4), flags: buf.readUInt16LE(6), body: buf.subarray(NLMSG_HDRLEN, buf.readUInt32LE(0)) };
}

/** A NETLINK_ROUTE socket in one network namespace. Synchronous: each request takes microseconds. */
export class RouteSocket {
  private seq = Math.floor(Math.random() * 0x7fffffff);
  private constructor(
    private readonly nl: NetlinkSys,
    private fd: number,
    /** The namespace this socket lives in, for error messages. */
    readonly netns: string | null,
  ) {}

  static open(nl: NetlinkSys, netnsPath: string | null = null): RouteSocket {
    try {
      const fd = activeTracer().span('network', 'socket', `NETLINK_ROUTE in ${netnsPath ?? "the runtime's network namespace"}`, () => nl.netlinkOpen(NETLINK_ROUTE, netnsPath));
      return new RouteSocket(nl, fd, netnsPath);
    } catch (cause) {
      throw new NetworkError('NETLINK_FAILED', `cannot open a netlink socket${netnsPath ? ` in ${netnsPath}` : ''}: ${(cause as Error).message}`, netnsPath ?? 'host', { cause });
    }
  }

  /** Sends a request with NLM_F_REQUEST|NLM_F_ACK added and returns the replies. */
  request(type: number, flags: number, header: Buffer, attrs: Attribute[], object: string): NetlinkMessage[] {
    const msg = encodeMessage(type, flags | NLM_F.REQUEST | NLM_F.ACK, ++this.seq, header, attrs);
    const tracer = activeTracer();
    try {
      if (!tracer.enabled) return this.nl.netlinkTransact(this.fd, msg).map(decodeMessage);
      return tracer.span(
        'network',
        RTM_NAMES[type] ?? `RTM ${type}`,
        (replies) => `${describeRequest(type, flags, header, attrs, object, this.netns)}${describeAnswer(type, replies)}`,
        () => this.nl.netlinkTransact(this.fd, msg).map(decodeMessage),
      );
    } catch (cause) {
      const e = cause as Error & { code?: string; extack?: string };
      const where = this.netns ? ` in ${this.netns}` : '';
      const detail = e.extack ? `${e.message} (${e.extack})` : e.message;
      throw new NetworkError('NETLINK_FAILED', `${RTM_NAMES[type] ?? type} ${object}${where}: ${detail}`, object, { cause });
    }
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
    this.fd = -1;
  }
}

/** Runs `fn` with a socket in `netnsPath`, closing it afterwards. */
export function withRouteSocket<T>(nl: NetlinkSys, netnsPath: string | null, fn: (s: RouteSocket) => T): T {
  const s = RouteSocket.open(nl, netnsPath);
  try {
    return fn(s);
  } finally {
    s.close();
  }
}

/** The errno code (EEXIST, ENODEV…) behind a failed request, if any. */
export function errnoCode(e: unknown): string | undefined {
  return ((e as { cause?: { code?: string } })?.cause?.code) ?? undefined;
}
