// `vessel … --trace` the way a user types it: a run on a bridge network with a published port
// and a memory limit, exec and rm of a running container, network create, and pull.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { TraceStep as Step } from '../../src/trace/step.js';
import { writeBusyboxLayout } from '../fixtures/images.js';
import { randomSuffix } from '../fixtures/netns.js';
import { startRegistry, type TestRegistry } from '../fixtures/registry.js';
import { engineRoot, leftovers, type EngineRoot } from './engine-fixture.js';

const jsonSteps = (stderr: string): Step[] => stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Step);
const show = (steps: Step[]) => steps.map((s) => `${s.concept} ${s.op} ${s.detail}${s.error ? ` (${s.error})` : ''}`).join('\n');

function find(steps: Step[], what: string, match: (s: Step) => boolean): number {
  const i = steps.findIndex(match);
  assert.ok(i >= 0, `no ${what} step in:\n${show(steps)}`);
  return i;
}

describe('vessel --trace', { timeout: 120_000 }, () => {
  let e: EngineRoot;
  const tag = randomSuffix(3);
  before(() => {
    e = engineRoot();
  });
  after(() => {
    const ids = e.ok('ps', '-aq', '--no-trunc').split('\n').filter(Boolean);
    e.cleanup();
    assert.deepEqual(leftovers(e.root, ids), []);
  });

  it('run --network bridge -p -m: the overlay, cgroup limit, veth pair, addresses, routes and iptables rules', () => {
    const r = e.vessel('run', '--rm', '--trace=json', '--network', 'bridge', '-p', '80', '-m', '64m', 'busybox', 'true');
    assert.equal(r.status, 0, r.stderr);
    const steps = jsonSteps(r.stderr);
    const order = [
      find(steps, 'overlay mount', (s) => s.concept === 'rootfs' && s.op === 'mount' && / type overlay .* data lowerdir=.*,upperdir=.*,workdir=/.test(s.detail)),
      find(steps, 'memory limit', (s) => s.concept === 'cgroup' && /\/memory.limit_in_bytes = 67108864$/.test(s.detail)),
      find(steps, 'unshare', (s) => s.op === 'unshare' && /CLONE_NEWNET/.test(s.detail)),
      find(steps, 'pivot_root', (s) => s.op === 'pivot_root'),
      find(steps, 'veth pair', (s) => s.op === 'RTM_NEWLINK' && /veth peer eth0 created in the netns of fd \d+, master \d+, .*up, \(create, exclusive\) -> ack$/.test(s.detail)),
      find(steps, 'loopback up', (s) => s.op === 'RTM_SETLINK' && /^link 1, up in \/proc\/\d+\/ns\/net -> ack$/.test(s.detail)),
      find(steps, 'address', (s) => s.op === 'RTM_NEWADDR' && /^\d+\.\d+\.\d+\.\d+\/\d+ on link \d+, \(create, exclusive\) in \/proc\/\d+\/ns\/net -> ack$/.test(s.detail)),
      find(steps, 'default route', (s) => s.op === 'RTM_NEWROUTE' && /^route default via \d+\.\d+\.\d+\.\d+/.test(s.detail)),
      find(steps, 'port rules', (s) => s.op === 'iptables -A' && /-j DNAT --to-destination \d+\.\d+\.\d+\.\d+:80/.test(s.detail)),
      find(steps, 'execve', (s) => s.op === 'execve' && /argv \["true"\]/.test(s.detail)),
    ];
    assert.deepEqual(order, [...order].sort((a, b) => a - b), `out of order:\n${show(steps)}`);
    // --rm: the rules go, the overlay is unmounted
    const removed = find(steps, 'port rules removed', (s) => s.op === 'iptables -D');
    const unmounted = find(steps, 'umount', (s) => s.op === 'umount' && s.detail.endsWith('/rootfs'));
    assert.ok(removed > order[9]! && unmounted > order[9]!);
  });

  it('exec and rm -f of a running container: setns into its namespaces, then the teardown', () => {
    const name = `tr-${tag}`;
    e.ok('run', '-d', '--name', name, '--network', 'none', 'busybox', 'sleep', '60');
    const ex = e.vessel('exec', '--trace=json', name, 'true');
    assert.equal(ex.status, 0, ex.stderr);
    const steps = jsonSteps(ex.stderr);
    for (const ns of ['CLONE_NEWIPC', 'CLONE_NEWUTS', 'CLONE_NEWNET', 'CLONE_NEWPID', 'CLONE_NEWNS']) find(steps, `setns ${ns}`, (s) => s.op === 'setns' && s.detail.startsWith(`${ns} `));
    find(steps, 'cgroup join', (s) => s.concept === 'cgroup' && /\/cgroup.procs = \d+$/.test(s.detail));
    find(steps, 'execve', (s) => s.op === 'execve' && s.detail.startsWith('/bin/true argv ["true"]'));
    const rm = e.vessel('rm', '-f', '--trace', name);
    assert.equal(rm.status, 0, rm.stderr);
    assert.match(rm.stderr, /\[cgroup\]\s+\d+\s+rmdir\s+\/sys\/fs\/cgroup\/memory\/vessel\/[0-9a-f]{64}\n/);
    assert.match(rm.stderr, /\[rootfs\]\s+\d+\s+umount\s+\S+\/rootfs\n/);
  });

  it('network create writes a Chrome trace with the bridge and its rules', () => {
    const net = `trnet-${tag}`;
    const file = join(e.root, 'net.trace.json');
    const r = e.vessel(`--trace=${file}`, 'network', 'create', '-o', `com.docker.network.bridge.name=vt${tag}`, net);
    assert.equal(r.status, 0, r.stderr);
    const events = (JSON.parse(readFileSync(file, 'utf8')) as { traceEvents: { ph: string; cat?: string; args?: { op: string; detail: string } }[] }).traceEvents;
    const network = events.filter((ev) => ev.ph === 'X' && ev.cat === 'network').map((ev) => `${ev.args!.op} ${ev.args!.detail}`);
    assert.ok(network.some((l) => new RegExp(`^RTM_NEWLINK vt${tag}, bridge, .*\\(create, exclusive\\) -> ack$`).test(l)), network.join('\n'));
    assert.ok(network.some((l) => /^iptables -A .*MASQUERADE/.test(l)), network.join('\n'));
    e.ok('network', 'rm', net);
  });

  it('network connect: a second veth pair, eth1, its address', () => {
    const net = `trcon-${tag}`;
    const name = `trc-${tag}`;
    e.ok('network', 'create', '-o', `com.docker.network.bridge.name=vc${tag}`, net);
    e.ok('run', '-d', '--name', name, 'busybox', 'sleep', '60');
    const r = e.vessel('network', 'connect', '--trace=json', net, name);
    assert.equal(r.status, 0, r.stderr);
    const steps = jsonSteps(r.stderr);
    find(steps, 'veth pair', (s) => s.op === 'RTM_NEWLINK' && /veth peer eth1 created in the netns of fd \d+, master \d+/.test(s.detail));
    find(steps, 'address', (s) => s.op === 'RTM_NEWADDR' && / on link \d+, \(create, exclusive\) in \/proc\/\d+\/ns\/net -> ack$/.test(s.detail));
    find(steps, 'dns', (s) => s.op === 'dns' && /^bind 127\.0\.0\.11:53/.test(s.detail));
    e.ok('rm', '-f', name);
    e.ok('network', 'rm', net);
  });

  it('rejects a --trace value it cannot write, before doing anything', () => {
    const r = e.vessel('run', '--rm', '--trace=yaml', 'busybox', 'true');
    assert.equal(r.status, 125);
    assert.match(r.stderr, /--trace=yaml: expected text, json or a FILE\.json/);
    assert.equal(e.ok('ps', '-aq'), '');
  });

  describe('with a registry', () => {
    let registry: TestRegistry;
    const work = mkdtempSync(join(tmpdir(), 'vessel-trace-pull-'));
    before(async () => {
      registry = await startRegistry('none');
      const layout = await writeBusyboxLayout(join(work, 'layout'), 'busybox:latest');
      await promisify(execFile)('skopeo', ['copy', '-q', '--dest-tls-verify=false', `oci:${layout.dir}:busybox:latest`, `docker://${registry.host}/lib/busybox:latest`]);
    });
    after(async () => {
      await registry?.stop();
      rmSync(work, { recursive: true, force: true });
    });

    it('pull: the manifest, each layer downloaded and extracted', () => {
      const r = e.vessel('pull', '--trace=json', `${registry.host}/lib/busybox`);
      assert.equal(r.status, 0, r.stderr);
      const steps = jsonSteps(r.stderr);
      find(steps, 'manifest', (s) => s.concept === 'image' && s.op === 'manifest' && s.detail.startsWith(`GET ${registry.host}/lib/busybox:latest -> application/`));
      const download = find(steps, 'download', (s) => s.op === 'download' && /^layer sha256:[0-9a-f]{64} \(\d+ bytes/.test(s.detail));
      const extract = find(steps, 'extract', (s) => s.op === 'extract' && /^layer sha256:[0-9a-f]{64} -> chain sha256:[0-9a-f]{64} \(\d+ bytes unpacked\)$/.test(s.detail));
      assert.ok(download < extract);
    });
  });
});
