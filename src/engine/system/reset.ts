// `system reset` (podman's): every container (rm -f), every network including the default one
// (bridge link and firewall rules), every volume and image, then the state itself.
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { removeBaseChainsIfUnused, removeRules } from '../../network/firewall/iptables.js';
import { parseSave, type FirewallRule, type FirewallTable } from '../../network/firewall/rules.js';
import { teardownBridge } from '../../network/bridge.js';
import { stopResolver } from '../../network/dns/control.js';
import { deleteNetworkRecord, listEndpoints, listNetworkRecords, releaseEndpoint, type NetworkRecord } from '../../network/records.js';
import { systemDeps, type NetworkDeps } from '../../network/deps.js';
import { hostIfName } from '../../network/endpoint.js';
import { sleepSync } from '../../sys/sleep.js';
import { removeImage } from '../../image/remove.js';
import { collectGarbage } from '../../image/store/index.js';
import type { Engine } from '../engine.js';
import { removeContainer } from '../lifecycle/remove.js';
import { withNetworksLock } from '../locks/container-lock.js';

export interface ResetReport {
  containers: string[];
  networks: string[];
  volumes: string[];
  images: string[];
  /** what could not be removed, in words; the rest went on */
  errors: string[];
}

/** Ports of the bridge: anything still enslaved belongs to another engine root sharing the bridge. */
function bridgePorts(bridge: string): string[] {
  try {
    return readdirSync(`/sys/class/net/${bridge}/brif`);
  } catch {
    return [];
  }
}

/** Every rule in vessel's chains that names `bridge` (as -i or -o). */
function rulesNaming(bridge: string, saved: string): FirewallRule[] {
  const rules: FirewallRule[] = [];
  for (const [table, t] of parseSave(saved)) {
    for (const line of t.rules) {
      const [, chain, ...args] = line.split(/\s+/) as [string, string, ...string[]];
      if (chain.startsWith('VESSEL-') && args.includes(bridge)) rules.push({ table: table as FirewallTable, chain, args });
    }
  }
  return rules;
}

/** Stopped containers' veth pairs go with their namespaces, in the kernel's own time (see
 * DetachOptions): the ports of the containers this reset removed may still be on the bridge. */
function waitForEndedPorts(bridge: string, ended: Set<string>): void {
  const deadline = Date.now() + ENDED_PORTS_WAIT_MS;
  while (bridgePorts(bridge).some((p) => ended.has(p)) && Date.now() < deadline) sleepSync(10);
}

const ENDED_PORTS_WAIT_MS = 3000;

function removeNetworkCompletely(engine: Engine, n: NetworkRecord, deps: NetworkDeps, removedContainers: string[]): void {
  const db = engine.images.db.sql;
  // endpoints left by a container whose removal never ran (killed CLI): their port rules go too
  for (const e of listEndpoints(db, { networkId: n.id })) {
    removeRules(e.rules, deps.iptables);
    releaseEndpoint(db, n.id, e.containerId);
  }
  waitForEndedPorts(n.bridge, new Set(removedContainers.map((c) => hostIfName(n.id, c))));
  if (bridgePorts(n.bridge).length === 0) {
    teardownBridge(db, n, deps);
    // A root that found the bridge already there recorded no rules, another root sharing the
    // bridge may have added them for another subnet, a crashed one twice: with the bridge gone
    // no rule naming it is of use to anyone.
    for (const rule of rulesNaming(n.bridge, deps.iptables.save())) deps.iptables.deleteOne(rule);
  }
  deleteNetworkRecord(db, n.id);
}

/** The files and directories under the root that make up the engine's state (all of them but login credentials). */
function stateEntries(engine: Engine): string[] {
  const keep = new Set(['auth.json']);
  return readdirSync(engine.root).filter((e) => !keep.has(e)).map((e) => join(engine.root, e));
}

export async function resetSystem(engine: Engine, deps: NetworkDeps = systemDeps()): Promise<ResetReport> {
  const report: ResetReport = { containers: [], networks: [], volumes: [], images: [], errors: [] };
  const attempt = (what: string, fn: () => void) => {
    try {
      fn();
    } catch (e) {
      report.errors.push(`${what}: ${(e as Error).message}`);
    }
  };
  for (const c of engine.containers.list()) {
    try {
      await removeContainer(engine, c.id, { force: true, volumes: true });
      report.containers.push(c.id);
    } catch (e) {
      report.errors.push(`container ${c.id}: ${(e as Error).message}`);
    }
  }
  // the embedded resolver of this root has no container left to serve: it may go now
  attempt('dns resolver', () => stopResolver(engine.images.db.path));
  // containers first, one lock at a time, then the networks under their lock (locks/container-lock.ts)
  await withNetworksLock(engine.root, () => {
    for (const n of listNetworkRecords(engine.images.db.sql)) attempt(`network ${n.name}`, () => (removeNetworkCompletely(engine, n, deps, report.containers), report.networks.push(n.name)));
  });
  // vessel's chains go too once no engine root has a rule left in them (they come back on demand)
  attempt('firewall chains', () => void removeBaseChainsIfUnused(deps.iptables));
  for (const v of engine.volumes.list()) attempt(`volume ${v.Name}`, () => (engine.volumes.remove(v.Name), report.volumes.push(v.Name)));
  for (const i of engine.images.images.list()) attempt(`image ${i.id}`, () => (removeImage(engine.images, i.id, { force: true }), report.images.push(i.id)));
  attempt('layers', () => void collectGarbage(engine.images));
  if (report.errors.length === 0) for (const p of stateEntries(engine)) rmSync(p, { recursive: true, force: true });
  return report;
}
