// Bridge setup cost, measured on the network module alone: what `vessel run` on the default bridge
// network spends beyond `--network none` is planContainerNetwork + connectContainerNetwork before
// the container starts and disconnectContainerNetwork after it exits (target: at most 15 ms).
// A network namespace with a sleeping process stands in for the container. Run as root:
//   node --import tsx bench/network/bridge-cost.ts [RUNS]
// The default network is recorded on its own bridge and a 10.213.x/24 subnet, so the host's
// vessel0 is left alone; everything is removed afterwards.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectContainerNetwork, disconnectContainerNetwork, forgetContainerNetwork, planContainerNetwork, type ContainerNetworkRequest } from '../../src/engine/network/index.js';
import { teardownBridge } from '../../src/network/bridge.js';
import { systemDeps } from '../../src/network/deps.js';
import { createNetwork } from '../../src/network/index.js';
import { openStateDb } from '../../src/state/db.js';
import { networks } from '../../src/state/migrations/006-networks.js';

const runs = Number(process.argv[2] ?? 30);
const dir = mkdtempSync(join(tmpdir(), 'vessel-bench-net-'));
const state = openStateDb(join(dir, 'vessel.db'), [networks]);
const suffix = Math.random().toString(16).slice(2, 8);
const net = createNetwork(state.sql, { name: 'bridge', subnet: `10.213.${250 + Math.floor(Math.random() * 5)}.0/24`, options: { 'com.docker.network.bridge.name': `vb${suffix}` } });
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const phases = { plan: [] as number[], connect: [] as number[], disconnect: [] as number[], total: [] as number[] };

try {
  for (let i = 0; i < runs; i++) {
    const ns = `vessel-bench-${suffix}-${i}`;
    execFileSync('ip', ['netns', 'add', ns]);
    const init = spawn('ip', ['netns', 'exec', ns, 'sleep', '30'], { stdio: 'ignore' });
    try {
      const own = readlinkSync('/proc/self/ns/net');
      while (readlinkSync(`/proc/${init.pid}/ns/net`) === own) await new Promise((r) => setTimeout(r, 1));
      const id = `${suffix}${i}`.padEnd(64, '0');
      const req: ContainerNetworkRequest = { containerId: id, containerName: `bench${i}`, hostname: id.slice(0, 12), mode: 'bridge', ports: [], publishAll: false, exposedPorts: [], dns: [], dnsSearch: [], dnsOptions: [], addHosts: [], aliases: [], db: state };
      const t0 = performance.now();
      planContainerNetwork(req);
      const t1 = performance.now();
      await connectContainerNetwork(req, init.pid!);
      const t2 = performance.now();
      disconnectContainerNetwork(state, id);
      const t3 = performance.now();
      forgetContainerNetwork(state, id);
      phases.plan.push(t1 - t0);
      phases.connect.push(t2 - t1);
      phases.disconnect.push(t3 - t2);
      phases.total.push(t3 - t0);
    } finally {
      init.kill('SIGKILL');
      execFileSync('ip', ['netns', 'del', ns]);
    }
  }
  const fmt = (xs: number[]) => `${median(xs).toFixed(2)} ms`;
  console.log(`bridge setup cost, median of ${runs}: plan ${fmt(phases.plan)}, connect ${fmt(phases.connect)}, disconnect ${fmt(phases.disconnect)}, total ${fmt(phases.total)} (target <= 15 ms)`);
} finally {
  teardownBridge(state.sql, net, systemDeps());
  state.close();
  rmSync(dir, { recursive: true, force: true });
}
