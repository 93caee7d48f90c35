// Attaching a container's network namespace to a bridge network, and detaching it.
import { closeSync, openSync, writeFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import { fnv1a64 } from '../hash/fnv.js';
import { ensureBridge } from './bridge.js';
import { systemDeps, type NetworkDeps } from './deps.js';
import { NetworkError } from './errors.js';
import { addRules, removeRules } from './firewall/iptables.js';
import { portRules, type FirewallRule } from './firewall/rules.js';
import { parseCidr, parseIPv4 } from './ip.js';
import { allocateEndpoint, conflictingPorts, MTU_OPTION } from './ipam.js';
import { getEndpoint, listEndpoints, releaseEndpoint, requireNetwork, setEndpointRules, type EndpointRecord } from './records.js';
import { macFromIPv4 } from './mac.js';
import { addAddress } from './netlink/address.js';
import { createVeth, deleteLinkIfExists, getLink, setLinkUp } from './netlink/link.js';
import { errnoCode, withRouteSocket } from './netlink/messages.js';
import { addRoute } from './netlink/route.js';
import { claimHostPorts } from './portcheck.js';
import type { PortMapping, PublishedPort } from './ports.js';
import { UndoStack } from '../undo.js';
import { activeTracer } from '../trace/active.js';

export interface AttachOptions {
  db: Database;
  containerId: string;
  containerName: string;
  /** The container's network namespace, e.g. /proc/PID/ns/net or a bind mount of it. */
  netnsPath: string;
  /** Network name or id. */
  network: string;
  /** Static address (--ip). */
  ip?: string;
  aliases?: string[];
  /** Host port 0 picks a free port. */
  ports?: PortMapping[];
  /** Interface name inside the container; eth0 unless given (eth1… for further networks). */
  ifName?: string;
  deps?: NetworkDeps;
}

export interface AttachResult {
  networkId: string;
  networkName: string;
  ip: string;
  prefixLen: number;
  gateway: string;
  subnet: string;
  mac: string;
  ifName: string;
  /** Host end of the veth pair. */
  hostIf: string;
  bridge: string;
  aliases: string[];
  /** The published ports with their actual host ports. */
  ports: PublishedPort[];
}

/** The kernel gives every network namespace's loopback this index. */
const LOOPBACK_IFINDEX = 1;

function setHairpinMode(hostIf: string): void {
  const path = `/sys/class/net/${hostIf}/brport/hairpin_mode`;
  activeTracer().span('network', 'write', `${path} = 1`, () => writeFileSync(path, '1'));
}

/** A stable host-side interface name for one container on one network (IFNAMSIZ allows 15). */
export function hostIfName(networkId: string, containerId: string): string {
  return `veth${fnv1a64(`${networkId}/${containerId}`).slice(0, 11)}`;
}

function result(n: { id: string; name: string; gateway: string; subnet: string; bridge: string }, ep: EndpointRecord): AttachResult {
  return {
    networkId: n.id,
    networkName: n.name,
    ip: ep.ip,
    prefixLen: parseCidr(n.subnet).prefixLen,
    gateway: n.gateway,
    subnet: n.subnet,
    mac: ep.mac,
    ifName: ep.ifName,
    hostIf: ep.hostIf,
    bridge: n.bridge,
    aliases: ep.aliases,
    ports: ep.ports,
  };
}

/**
 * Connects a container to a bridge network: an address from IPAM, a veth pair whose host end is on
 * the bridge and whose peer is created inside the container's namespace as `ifName` with a MAC
 * derived from the address, loopback up, a default route via the gateway (unless the container
 * already has one from an earlier network), and DNAT rules for published ports. Host ports are
 * checked before anything is created; on failure everything created is undone.
 */
export async function attachContainer(o: AttachOptions): Promise<AttachResult> {
  const deps = o.deps ?? systemDeps();
  const n = requireNetwork(o.db, o.network);
  const requested = o.ports ?? [];
  if (n.internal && requested.length) throw new NetworkError('INVALID_OPTION', `ports cannot be published on internal network ${n.name}`, n.name);
  const ports = await claimHostPorts(requested, (p) => conflictingPorts(o.db, [p]).length > 0);
  const ifName = o.ifName ?? 'eth0';
  const bridgeIndex = ensureBridge(o.db, n, deps);
  const undo = new UndoStack();
  try {
    const ep = allocateEndpoint(o.db, {
      networkId: n.id,
      containerId: o.containerId,
      containerName: o.containerName,
      ip: o.ip,
      ifName,
      hostIf: hostIfName(n.id, o.containerId),
      aliases: o.aliases,
      ports,
      mac: macFromIPv4,
    });
    undo.push(`release ${ep.ip}`, () => releaseEndpoint(o.db, n.id, o.containerId));
    const mtu = n.options[MTU_OPTION] ? Number(n.options[MTU_OPTION]) : undefined;
    const netnsFd = openSync(o.netnsPath, 'r');
    try {
      withRouteSocket(deps.netlink, null, (s) => {
        const veth = { name: ep.hostIf, peerName: ifName, peerNetnsFd: netnsFd, peerMac: ep.mac, mtu, master: bridgeIndex, up: true };
        try {
          createVeth(s, veth);
        } catch (e) {
          // the pair of this container's previous run, still waiting for its namespace's cleanup
          if (errnoCode(e) !== 'EEXIST') throw e;
          deleteLinkIfExists(s, ep.hostIf);
          createVeth(s, veth);
        }
      });
      // with br_netfilter, a container's packet DNATed to itself is bridged back out its own port
      // (through sysfs: the netlink request needs the port's index, one more round trip to learn)
      setHairpinMode(ep.hostIf);
    } finally {
      closeSync(netnsFd);
    }
    // deleting the host end removes the peer too
    undo.push(`delete ${ep.hostIf}`, () => withRouteSocket(deps.netlink, null, (s) => deleteLinkIfExists(s, ep.hostIf)));
    withRouteSocket(deps.netlink, o.netnsPath, (s) => {
      setLinkUp(s, LOOPBACK_IFINDEX, true);
      const eth = getLink(s, ifName);
      if (!eth) throw new NetworkError('ATTACH_FAILED', `${ifName} did not appear in ${o.netnsPath}`, o.containerId);
      addAddress(s, eth.index, parseIPv4(ep.ip), parseCidr(n.subnet).prefixLen);
      setLinkUp(s, eth.index, true);
      try {
        addRoute(s, { gateway: parseIPv4(n.gateway), oif: eth.index });
      } catch (e) {
        if (errnoCode(e) !== 'EEXIST') throw e;
      }
    });
    const rules: FirewallRule[] = ports.flatMap((p) => portRules({ bridge: n.bridge, containerIp: ep.ip, ...p }));
    if (rules.length) {
      // recorded first: a process killed while adding them leaves none that its removal misses
      setEndpointRules(o.db, n.id, o.containerId, rules);
      undo.push('remove port rules', () => removeRules(rules, deps.iptables));
      addRules(rules, deps.iptables);
    }
    return result(n, ep);
  } catch (e) {
    return undo.failSync(e, (message, cause) => new NetworkError('ATTACH_FAILED', message, o.containerId, { cause }));
  }
}

export interface DetachOptions {
  db: Database;
  containerId: string;
  network: string;
  /** No process is left in the container's network namespace: the kernel deletes the veth pair
   * with the namespace, in its own cleanup work, so deleting it here (a netdev unregistration that
   * waits for RCU grace periods, tens of milliseconds) would only delay the caller. */
  namespaceEnded?: boolean;
  deps?: NetworkDeps;
}

/**
 * Undoes attachContainer: the port rules (exactly those recorded), the veth pair (unless it goes
 * with its namespace) and the address. Returns false if the container was not attached.
 */
export function detachContainer(o: DetachOptions): boolean {
  const deps = o.deps ?? systemDeps();
  const n = requireNetwork(o.db, o.network);
  const ep = getEndpoint(o.db, n.id, o.containerId);
  if (!ep) return false;
  if (ep.rules.length) {
    removeRules(ep.rules, deps.iptables);
    setEndpointRules(o.db, n.id, o.containerId, []);
  }
  if (!o.namespaceEnded) withRouteSocket(deps.netlink, null, (s) => deleteLinkIfExists(s, ep.hostIf));
  releaseEndpoint(o.db, n.id, o.containerId);
  return true;
}

/** Detaches a container from every network it is on (container stop/removal). */
export function detachAll(db: Database, containerId: string, deps?: NetworkDeps): void {
  for (const ep of listEndpoints(db, { containerId })) detachContainer({ db, containerId, network: ep.networkId, deps });
}

/** The container's endpoints with their networks, e.g. for `vessel port` and inspect. */
export function containerEndpoints(db: Database, containerId: string): AttachResult[] {
  return listEndpoints(db, { containerId }).map((ep) => result(requireNetwork(db, ep.networkId), ep));
}
