// What --trace says about a netlink request and its answer: the message type, the object, and the
// attributes that matter to a person reading it (kind, names, peer, master, namespace, up/down).
import { decodeAttributes, NLA_F_NESTED, read, type Attribute } from './attributes.js';
import { NLM_F, RTM, type NetlinkMessage } from './messages.js';

const IFLA = { ADDRESS: 1, IFNAME: 3, MTU: 4, MASTER: 10, LINKINFO: 18, NET_NS_FD: 28 } as const;
const IFF_UP = 0x1;

const find = (attrs: Attribute[], type: number): Buffer | undefined => attrs.find((a) => (a.type & ~NLA_F_NESTED) === type)?.value;

/** "veth vethX <-> eth0 (peer into netns fd 23)" from an IFLA_LINKINFO payload. */
function linkInfo(value: Buffer): string {
  const info = decodeAttributes(value);
  const kind = read.string(info.get(1)) ?? '?';
  const data = info.get(2);
  const peerMsg = data ? decodeAttributes(data).get(1) : undefined;
  if (!peerMsg) return kind;
  const peer = decodeAttributes(peerMsg, 16);
  const netns = read.u32(peer.get(IFLA.NET_NS_FD));
  return `${kind} peer ${read.string(peer.get(IFLA.IFNAME)) ?? '?'}${netns !== undefined ? ` created in the netns of fd ${netns}` : ''}`;
}

function linkAttributes(header: Buffer, attrs: Attribute[]): string[] {
  const parts: string[] = [];
  const info = find(attrs, IFLA.LINKINFO);
  if (info) parts.push(linkInfo(info));
  const master = read.u32(find(attrs, IFLA.MASTER));
  if (master !== undefined) parts.push(`master ${master}`);
  const mtu = read.u32(find(attrs, IFLA.MTU));
  if (mtu !== undefined) parts.push(`mtu ${mtu}`);
  const netns = read.u32(find(attrs, IFLA.NET_NS_FD));
  if (netns !== undefined) parts.push(`move to the netns of fd ${netns}`);
  const mac = find(attrs, IFLA.ADDRESS);
  if (mac) parts.push(`mac ${[...mac].map((b) => b.toString(16).padStart(2, '0')).join(':')}`);
  if (header.length >= 16 && header.readUInt32LE(12) & IFF_UP) parts.push(header.readUInt32LE(8) & IFF_UP ? 'up' : 'down');
  return parts;
}

export function describeRequest(type: number, flags: number, header: Buffer, attrs: Attribute[], object: string, netns: string | null): string {
  const parts = [object];
  if (type === RTM.NEWLINK || type === RTM.SETLINK) parts.push(...linkAttributes(header, attrs));
  if ((flags & NLM_F.DUMP) === NLM_F.DUMP && (type === RTM.GETLINK || type === RTM.GETADDR || type === RTM.GETROUTE)) parts.push('(dump)');
  else if (flags & NLM_F.CREATE) parts.push(flags & NLM_F.EXCL ? '(create, exclusive)' : '(create)');
  return `${parts.join(', ')}${netns ? ` in ${netns}` : ''}`;
}

/** The kernel's answer: an ACK, or what came back. */
export function describeAnswer(type: number, replies: NetlinkMessage[] | undefined): string {
  if (!replies) return '';
  if (replies.length === 0) return ' -> ack';
  if (type === RTM.GETLINK && replies.length === 1) return ` -> index ${replies[0]!.body.readInt32LE(4)}`;
  return ` -> ${replies.length} message(s)`;
}
