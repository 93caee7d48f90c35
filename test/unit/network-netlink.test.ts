import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NetlinkSys } from '../../src/sys/netlink.js';
import { decodeAttributes, read } from '../../src/network/netlink/attributes.js';
import { RouteSocket, RTM } from '../../src/network/netlink/messages.js';
import { createVeth, getLink } from '../../src/network/netlink/link.js';
import { addRoute } from '../../src/network/netlink/route.js';
import { parseIPv4 } from '../../src/network/ip.js';

function fakeNetlink(reply: (req: Buffer) => Buffer[] = () => []): NetlinkSys & { sent: Buffer[] } {
  const sent: Buffer[] = [];
  return { sent, netlinkOpen: () => -1, netlinkTransact: (_fd, req) => (sent.push(req), reply(req)) };
}

describe('netlink messages', () => {
  it('builds a veth pair whose peer is created in another namespace, named and addressed', () => {
    const nl = fakeNetlink();
    const s = RouteSocket.open(nl);
    createVeth(s, { name: 'vethX', peerName: 'eth0', peerNetnsFd: 42, peerMac: '02:42:0a:00:00:02', master: 7, up: true });
    const msg = nl.sent[0]!;
    assert.equal(msg.readUInt32LE(0), msg.length);
    assert.equal(msg.readUInt16LE(4), RTM.NEWLINK);
    assert.equal(msg.readUInt16LE(6), 0x1 | 0x4 | 0x400 | 0x200);
    assert.equal(msg.readUInt32LE(16 + 8), 1, 'IFF_UP requested');
    const attrs = decodeAttributes(msg, 32);
    assert.equal(read.string(attrs.get(3)), 'vethX');
    assert.equal(read.u32(attrs.get(10)), 7);
    const linkinfo = decodeAttributes(attrs.get(18)!);
    assert.equal(read.string(linkinfo.get(1)), 'veth');
    const peer = decodeAttributes(linkinfo.get(2)!).get(1)!;
    const peerAttrs = decodeAttributes(peer, 16);
    assert.equal(read.string(peerAttrs.get(3)), 'eth0');
    assert.equal(read.u32(peerAttrs.get(28)), 42);
    assert.deepEqual([...peerAttrs.get(1)!], [2, 0x42, 10, 0, 0, 2]);
  });

  it('encodes a default route and parses a link reply', () => {
    const linkReply = Buffer.concat([Buffer.from([0x38, 0, 0, 0, 16, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([0, 0, 0, 0, 5, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0]), Buffer.from([8, 0, 3, 0, 0x62, 0x72, 0x30, 0]), Buffer.from([8, 0, 4, 0, 0xdc, 0x05, 0, 0]), Buffer.from([8, 0, 10, 0, 3, 0, 0, 0])]);
    const nl = fakeNetlink((req) => (req.readUInt16LE(4) === RTM.GETLINK ? [linkReply] : []));
    const s = RouteSocket.open(nl);
    assert.deepEqual(getLink(s, 'br0'), { index: 5, name: 'br0', flags: 1, up: true, mtu: 1500, mac: undefined, master: 3, kind: undefined });
    addRoute(s, { gateway: parseIPv4('10.0.0.1') });
    const route = nl.sent[1]!;
    assert.equal(route.readUInt8(16 + 1), 0, 'default: dst_len 0');
    assert.deepEqual([...decodeAttributes(route, 28).get(5)!], [10, 0, 0, 1]);
  });

  it('wraps kernel refusals in a NetworkError carrying the errno and extack', () => {
    const nl: NetlinkSys = { netlinkOpen: () => -1, netlinkTransact: () => { throw Object.assign(new Error('netlink: File exists'), { code: 'EEXIST', extack: 'already there' }); } };
    const s = RouteSocket.open(nl);
    assert.throws(() => addRoute(s, { gateway: 1 }), (e: Error & { code: string; cause: { code: string } }) =>
      e.code === 'NETLINK_FAILED' && e.cause.code === 'EEXIST' && /RTM_NEWROUTE route default via 0\.0\.0\.1: netlink: File exists \(already there\)/.test(e.message));
  });
});
