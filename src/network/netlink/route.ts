// IPv4 routes in the main table (RTM_*ROUTE).
import { formatIPv4, ipToBytes } from '../ip.js';
import { attr, decodeAttributes, read, type Attribute } from './attributes.js';
import { AF, NLM_F, RTM, type RouteSocket } from './messages.js';

const RTA = { DST: 1, OIF: 4, GATEWAY: 5, PREFSRC: 7, TABLE: 15 } as const;
const RT_TABLE_MAIN = 254;
const RTPROT_STATIC = 4;
const RT_SCOPE = { UNIVERSE: 0, LINK: 253 } as const;
const RTN_UNICAST = 1;

export interface RouteSpec {
  /** Destination network; omitted for the default route. */
  dst?: number;
  dstLen?: number;
  gateway?: number;
  /** Output link index. */
  oif?: number;
}

export interface Route {
  dst: string;
  dstLen: number;
  gateway?: string;
  oif?: number;
  table: number;
  type: number;
}

function rtmsg(dstLen: number, scope: number): Buffer {
  const b = Buffer.alloc(12);
  b.writeUInt8(AF.INET, 0);
  b.writeUInt8(dstLen, 1);
  b.writeUInt8(RT_TABLE_MAIN, 4);
  b.writeUInt8(RTPROT_STATIC, 5);
  b.writeUInt8(scope, 6);
  b.writeUInt8(RTN_UNICAST, 7);
  return b;
}

function routeMessage(r: RouteSpec): { header: Buffer; attrs: Attribute[]; object: string } {
  const dstLen = r.dst === undefined ? 0 : (r.dstLen ?? 32);
  const attrs: Attribute[] = [];
  if (r.dst !== undefined) attrs.push(attr.bytes(RTA.DST, ipToBytes(r.dst)));
  if (r.gateway !== undefined) attrs.push(attr.bytes(RTA.GATEWAY, ipToBytes(r.gateway)));
  if (r.oif !== undefined) attrs.push(attr.u32(RTA.OIF, r.oif));
  const object = `route ${r.dst === undefined ? 'default' : `${formatIPv4(r.dst)}/${dstLen}`}${r.gateway !== undefined ? ` via ${formatIPv4(r.gateway)}` : ''}`;
  return { header: rtmsg(dstLen, r.gateway === undefined ? RT_SCOPE.LINK : RT_SCOPE.UNIVERSE), attrs, object };
}

export function addRoute(s: RouteSocket, r: RouteSpec): void {
  const m = routeMessage(r);
  s.request(RTM.NEWROUTE, NLM_F.CREATE | NLM_F.EXCL, m.header, m.attrs, m.object);
}

export function listRoutes(s: RouteSocket): Route[] {
  return s.request(RTM.GETROUTE, NLM_F.DUMP, Buffer.alloc(12, 0).fill(AF.INET, 0, 1), [], 'routes')
    .filter((m) => m.type === RTM.NEWROUTE)
    .map((m) => {
      const attrs = decodeAttributes(m.body, 12);
      const dst = attrs.get(RTA.DST);
      const gw = attrs.get(RTA.GATEWAY);
      return {
        dst: dst ? formatIPv4(dst.readUInt32BE(0)) : '0.0.0.0',
        dstLen: m.body.readUInt8(1),
        gateway: gw ? formatIPv4(gw.readUInt32BE(0)) : undefined,
        oif: read.u32(attrs.get(RTA.OIF)),
        table: read.u32(attrs.get(RTA.TABLE)) ?? m.body.readUInt8(4),
        type: m.body.readUInt8(7),
      };
    });
}
