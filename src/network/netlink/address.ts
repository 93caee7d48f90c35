// IPv4 addresses on links (RTM_*ADDR).
import { formatIPv4, ipToBytes, lastAddress, maskOf } from '../ip.js';
import { attr, decodeAttributes } from './attributes.js';
import { AF, NLM_F, RTM, type RouteSocket } from './messages.js';

const IFA = { ADDRESS: 1, LOCAL: 2, BROADCAST: 4 } as const;

export interface Address {
  index: number;
  ip: string;
  prefixLen: number;
}

function ifaddrmsg(index: number, prefixLen: number): Buffer {
  const b = Buffer.alloc(8);
  b.writeUInt8(AF.INET, 0);
  b.writeUInt8(prefixLen, 1);
  b.writeUInt32LE(index, 4);
  return b;
}

function addressAttributes(ip: number, prefixLen: number) {
  const broadcast = prefixLen < 31 ? [attr.bytes(IFA.BROADCAST, ipToBytes(lastAddress({ base: (ip & maskOf(prefixLen)) >>> 0, prefixLen })))] : [];
  return [attr.bytes(IFA.LOCAL, ipToBytes(ip)), attr.bytes(IFA.ADDRESS, ipToBytes(ip)), ...broadcast];
}

export function addAddress(s: RouteSocket, index: number, ip: number, prefixLen: number): void {
  s.request(RTM.NEWADDR, NLM_F.CREATE | NLM_F.EXCL, ifaddrmsg(index, prefixLen), addressAttributes(ip, prefixLen), `${formatIPv4(ip)}/${prefixLen} on link ${index}`);
}

export function listAddresses(s: RouteSocket): Address[] {
  return s.request(RTM.GETADDR, NLM_F.DUMP, ifaddrmsg(0, 0), [], 'addresses')
    .filter((m) => m.type === RTM.NEWADDR && m.body.readUInt8(0) === AF.INET)
    .map((m) => {
      const attrs = decodeAttributes(m.body, 8);
      const local = attrs.get(IFA.LOCAL) ?? attrs.get(IFA.ADDRESS);
      return { index: m.body.readUInt32LE(4), prefixLen: m.body.readUInt8(1), ip: local ? formatIPv4(local.readUInt32BE(0)) : '' };
    });
}
