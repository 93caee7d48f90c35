// Links (RTM_*LINK): bridges, veth pairs, flags, master, MAC, MTU, namespace moves.
import { macToBytes } from '../mac.js';
import { attr, decodeAttributes, read, type Attribute } from './attributes.js';
import { AF, errnoCode, NLM_F, RTM, type RouteSocket } from './messages.js';

const IFLA = {
  ADDRESS: 1,
  IFNAME: 3,
  MTU: 4,
  LINK: 5,
  MASTER: 10,
  PROTINFO: 12,
  LINKINFO: 18,
  NET_NS_FD: 28,
} as const;
const IFLA_INFO_KIND = 1;
const IFLA_INFO_DATA = 2;
const VETH_INFO_PEER = 1;
const IFF_UP = 0x1;

export interface Link {
  index: number;
  name: string;
  flags: number;
  up: boolean;
  mtu?: number;
  mac?: string;
  /** Index of the bridge this link is enslaved to. */
  master?: number;
  /** "bridge", "veth"… for virtual links. */
  kind?: string;
}

interface IfInfo {
  family?: number;
  index?: number;
  flags?: number;
  change?: number;
}

function ifinfomsg({ family = AF.UNSPEC, index = 0, flags = 0, change = 0 }: IfInfo = {}): Buffer {
  const b = Buffer.alloc(16);
  b.writeUInt8(family, 0);
  b.writeInt32LE(index, 4);
  b.writeUInt32LE(flags, 8);
  b.writeUInt32LE(change, 12);
  return b;
}

function formatMac(b: Buffer): string {
  return [...b].map((x) => x.toString(16).padStart(2, '0')).join(':');
}

function parseLink(body: Buffer): Link {
  const attrs = decodeAttributes(body, 16);
  const flags = body.readUInt32LE(8);
  const linkinfo = attrs.get(IFLA.LINKINFO);
  const kind = linkinfo ? read.string(decodeAttributes(linkinfo).get(IFLA_INFO_KIND)) : undefined;
  const mac = attrs.get(IFLA.ADDRESS);
  return {
    index: body.readInt32LE(4),
    name: read.string(attrs.get(IFLA.IFNAME)) ?? '',
    flags,
    up: (flags & IFF_UP) !== 0,
    mtu: read.u32(attrs.get(IFLA.MTU)),
    mac: mac ? formatMac(mac) : undefined,
    master: read.u32(attrs.get(IFLA.MASTER)),
    kind,
  };
}

const upFlags = (up: boolean | undefined): IfInfo => (up ? { flags: IFF_UP, change: IFF_UP } : {});

function optional(attrs: (Attribute | false | undefined)[]): Attribute[] {
  return attrs.filter((a): a is Attribute => !!a);
}

export function getLink(s: RouteSocket, name: string): Link | null {
  try {
    const replies = s.request(RTM.GETLINK, 0, ifinfomsg(), [attr.string(IFLA.IFNAME, name)], name);
    return replies.length ? parseLink(replies[0]!.body) : null;
  } catch (e) {
    if (errnoCode(e) === 'ENODEV') return null;
    throw e;
  }
}

export function listLinks(s: RouteSocket): Link[] {
  return s.request(RTM.GETLINK, NLM_F.DUMP, ifinfomsg(), [], 'links').filter((m) => m.type === RTM.NEWLINK).map((m) => parseLink(m.body));
}

export interface BridgeOptions {
  mtu?: number;
  up?: boolean;
}

export function createBridge(s: RouteSocket, name: string, opts: BridgeOptions = {}): void {
  s.request(RTM.NEWLINK, NLM_F.CREATE | NLM_F.EXCL, ifinfomsg(upFlags(opts.up)), optional([
    attr.string(IFLA.IFNAME, name),
    opts.mtu !== undefined && attr.u32(IFLA.MTU, opts.mtu),
    attr.nested(IFLA.LINKINFO, [attr.string(IFLA_INFO_KIND, 'bridge')]),
  ]), name);
}

export interface VethOptions {
  name: string;
  peerName: string;
  /** Create the peer directly inside the namespace this fd refers to. */
  peerNetnsFd?: number;
  peerMac?: string;
  mtu?: number;
  /** Index of a bridge to enslave the near end to. */
  master?: number;
  /** Brings the near end up; the peer can only be brought up once both ends exist (veth_open). */
  up?: boolean;
}

/** One message creates both ends, the peer possibly inside another namespace, already named. */
export function createVeth(s: RouteSocket, o: VethOptions): void {
  const peer = Buffer.concat([
    ifinfomsg(),
    // the peer's attributes follow its ifinfomsg directly inside VETH_INFO_PEER
    encodePeerAttributes(optional([
      attr.string(IFLA.IFNAME, o.peerName),
      o.peerMac !== undefined && attr.bytes(IFLA.ADDRESS, macToBytes(o.peerMac)),
      o.mtu !== undefined && attr.u32(IFLA.MTU, o.mtu),
      o.peerNetnsFd !== undefined && attr.u32(IFLA.NET_NS_FD, o.peerNetnsFd),
    ])),
  ]);
  s.request(RTM.NEWLINK, NLM_F.CREATE | NLM_F.EXCL, ifinfomsg(upFlags(o.up)), optional([
    attr.string(IFLA.IFNAME, o.name),
    o.mtu !== undefined && attr.u32(IFLA.MTU, o.mtu),
    o.master !== undefined && attr.u32(IFLA.MASTER, o.master),
    attr.nested(IFLA.LINKINFO, [
      attr.string(IFLA_INFO_KIND, 'veth'),
      attr.nested(IFLA_INFO_DATA, [{ type: VETH_INFO_PEER, value: peer }]),
    ]),
  ]), `${o.name}/${o.peerName}`);
}

function encodePeerAttributes(attrs: Attribute[]): Buffer {
  return attr.nested(0, attrs).value;
}

function setLink(s: RouteSocket, index: number, info: IfInfo, attrs: Attribute[], object: string): void {
  s.request(RTM.SETLINK, 0, ifinfomsg({ ...info, index }), attrs, object);
}

export function setLinkUp(s: RouteSocket, index: number, up: boolean): void {
  setLink(s, index, { flags: up ? IFF_UP : 0, change: IFF_UP }, [], `link ${index}`);
}

export function deleteLink(s: RouteSocket, name: string): void {
  s.request(RTM.DELLINK, 0, ifinfomsg(), [attr.string(IFLA.IFNAME, name)], name);
}

/** Deletes a link if it exists; true if it did. */
export function deleteLinkIfExists(s: RouteSocket, name: string): boolean {
  try {
    deleteLink(s, name);
    return true;
  } catch (e) {
    if (errnoCode(e) === 'ENODEV') return false;
    throw e;
  }
}
