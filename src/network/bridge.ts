// A network's host side: the bridge with the gateway address, and the network's firewall rules.
import type { Database } from 'better-sqlite3';
import type { NetworkDeps } from './deps.js';
import { NetworkError } from './errors.js';
import { addRules, ensureBaseChains, removeRules } from './firewall/iptables.js';
import { networkRules, type FirewallRule } from './firewall/rules.js';
import { enableIpForwarding, enableRouteLocalnet } from './firewall/sysctl.js';
import { MTU_OPTION } from './ipam.js';
import { getNetwork, setNetworkRules, type NetworkRecord } from './records.js';
import { parseCidr, parseIPv4 } from './ip.js';
import { addAddress, listAddresses } from './netlink/address.js';
import { createBridge, deleteLinkIfExists, getLink, setLinkUp } from './netlink/link.js';
import { errnoCode, withRouteSocket, type RouteSocket } from './netlink/messages.js';
import { UndoStack } from '../undo.js';
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

function expectedRules(n: NetworkRecord): FirewallRule[] {
  return networkRules({ bridge: n.bridge, subnet: n.subnet, internal: n.internal });
}

/**
 * A bridge set up by an older vessel keeps the rules it was given until it is rebuilt; a rule set
 * that changed since (the loopback guard, say) is replaced at once. Rules not yet recorded mean
 * another process is still setting the bridge up: it records the current set itself. The
 * replacement runs in an IMMEDIATE transaction so that two processes do not both make it.
 */
function upgradeRules(db: Database, n: NetworkRecord, deps: NetworkDeps): void {
  const want = expectedRules(n);
  const same = (rules: FirewallRule[]) => JSON.stringify(rules) === JSON.stringify(want);
  if (n.rules.length === 0 || same(n.rules)) return;
  db.transaction(() => {
    const current = getNetwork(db, n.id);
    if (!current || current.rules.length === 0 || same(current.rules)) return;
    ensureBaseChains(deps.iptables);
    // the new set first, then the old one out: no moment without isolation (a rule in both sets
    // is briefly there twice, and -D removes the older copy)
    addRules(want, deps.iptables);
    removeRules(current.rules, deps.iptables);
    setNetworkRules(db, n.id, want);
  }).immediate();
  n.rules = want;
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
      if (hasAnyAddress(s, existing.index)) {
        upgradeRules(db, n, deps);
        return existing.index;
      }
      const index = waitForPeerSetup(s, n);
      if (hasAnyAddress(s, index)) return index;
      const undo = new UndoStack();
      try {
        return completeSetup(s, db, n, index, deps, undo);
      } catch (e) {
        return undo.failSync(e, (message, cause) => new NetworkError('NETLINK_FAILED', message, n.bridge, { cause }));
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
      return undo.failSync(e, (message, cause) => new NetworkError('NETLINK_FAILED', message, n.bridge, { cause }));
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
  const rules = expectedRules(n);
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
