// The host's routed IPv4 subnets, which automatically chosen network subnets must avoid.
import type { NetlinkSys } from '../sys/netlink.js';
import { parseCidr, type Subnet } from './ip.js';
import { withRouteSocket } from './netlink/messages.js';
import { listRoutes } from './netlink/route.js';

const RT_TABLE_MAIN = 254;

export function hostRouteSubnets(nl: NetlinkSys): Subnet[] {
  return withRouteSocket(nl, null, (s) => listRoutes(s))
    .filter((r) => r.table === RT_TABLE_MAIN && r.dstLen > 0)
    .map((r) => parseCidr(`${r.dst}/${r.dstLen}`, true));
}
