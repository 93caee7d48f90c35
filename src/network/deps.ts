// The system interfaces the network layer uses, injectable for tests.
import { netlinkSys, type NetlinkSys } from '../sys/netlink.js';
import { systemIptables, type IptablesRunner } from './firewall/iptables.js';

export interface NetworkDeps {
  netlink: NetlinkSys;
  iptables: IptablesRunner;
}

export function systemDeps(): NetworkDeps {
  return { netlink: netlinkSys(), iptables: systemIptables };
}
