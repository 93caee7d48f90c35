// A network's host side: the bridge with the gateway address, and the network's firewall rules.
import type { Database } from 'better-sqlite3';
import type { NetworkDeps } from './deps.js';
import { addRules, ensureBaseChains, removeRules } from './firewall/iptables.js';
import { networkRules } from './firewall/rules.js';
import { enableIpForwarding, enableRouteLocalnet } from './firewall/sysctl.js';
import { MTU_OPTION, setNetworkRules, type NetworkRecord } from './ipam.js';
import { parseCidr, parseIPv4 } from './ip.js';
import { addAddress, listAddresses } from './netlink/address.js';
import { createBridge, deleteLinkIfExists, getLink, setLinkUp } from './netlink/link.js';
import { errnoCode, withRouteSocket, type RouteSocket } from './netlink/messages.js';
import { UndoStack } from './undo.js';
import { sleepSync } from '../sys/sleep.js';

function hasGateway(s: RouteSocket, index: number, gateway: string): boolean {
  return listAddresses(s).some((a) => a.index === index && a.ip === gateway);
}

function hasAnyAddress(s: RouteSocket, index: number): boolean {
  return listAddresses(s).some((a) => a.index === index);
}

/** Another vessel process created the bridge a moment ago: wait until it has finished setting it up. */
function waitForPeerSetup(s: RouteSocket, n: NetworkRecord): number {
  for (let i = 0; i < 100; i++) {
    const link = getLink(s, n.bridge);
    if (link && link.up && hasGateway(s, link.index, n.gateway)) return link.index;
    sleepSync(10);
  }
  const link = getLink(s, n.bridge);
  if (!link) throw new Error(`bridge ${n.bridge} vanished while another process set it up`);
  return link.index;
}

/**
 * Makes sure the network's bridge exists, is up, carries the gateway address, and that the
 * network's firewall rules are in place; returns the bridge's link index. Cheap when the bridge
 * already exists (one netlink request); after a reboot it rebuilds everything.
 */
export function ensureBridge(db: Database, n: NetworkRecord, deps: NetworkDeps): number {
  return withRouteSocket(deps.netlink, null, (s) => {
    const existing = getLink(s, n.bridge);
    if (existing) {
      if (!existing.up) setLinkUp(s, existing.index, true);
      // No address at all: a peer is still setting it up, or a process was killed doing so. (One
      // with another address is another engine root's default bridge, set up for its subnet.)
      if (hasAnyAddress(s, existing.index)) return existing.index;
      const index = waitForPeerSetup(s, n);
      if (hasAnyAddress(s, index)) return index;
      const undo = new UndoStack();
      try {
        return completeSetup(s, db, n, index, deps, undo);
      } catch (e) {
        return undo.fail(e, 'NETLINK_FAILED', n.bridge);
      }
    }
    const undo = new UndoStack();
    try {
      const mtu = n.options[MTU_OPTION];
      try {
        createBridge(s, n.bridge, { up: true, mtu: mtu ? Number(mtu) : undefined });
      } catch (e) {
        if (errnoCode(e) === 'EEXIST') return waitForPeerSetup(s, n);
        throw e;
      }
      undo.push(`delete bridge ${n.bridge}`, () => deleteLinkIfExists(s, n.bridge));
      return completeSetup(s, db, n, getLink(s, n.bridge)!.index, deps, undo);
    } catch (e) {
      return undo.fail(e, 'NETLINK_FAILED', n.bridge);
    }
  });
}

/** Firewall rules, then the gateway address, on a bridge that exists. The rules are recorded
 * before they are added, so a process killed in between leaves none that nobody knows of. */
function completeSetup(s: RouteSocket, db: Database, n: NetworkRecord, index: number, deps: NetworkDeps, undo: UndoStack): number {
  const subnet = parseCidr(n.subnet);
  enableIpForwarding();
  enableRouteLocalnet(n.bridge);
  ensureBaseChains(deps.iptables);
  // rules recorded before the bridge vanished (deleted by hand), or by a killed setup, may still be there
  removeRules(n.rules, deps.iptables);
  const rules = networkRules({ bridge: n.bridge, subnet: n.subnet, internal: n.internal });
  setNetworkRules(db, n.id, rules);
  n.rules = rules;
  undo.push(`remove firewall rules of ${n.name}`, () => removeRules(rules, deps.iptables));
  addRules(rules, deps.iptables);
  // the address goes last: a concurrent process waits for it as the sign that setup is done
  addAddress(s, index, parseIPv4(n.gateway), subnet.prefixLen);
  return index;
}

/** Removes the bridge and the network's rules; safe to call when either is already gone. */
export function teardownBridge(db: Database, n: NetworkRecord, deps: NetworkDeps): void {
  removeRules(n.rules, deps.iptables);
  setNetworkRules(db, n.id, []);
  withRouteSocket(deps.netlink, null, (s) => deleteLinkIfExists(s, n.bridge));
}
