// Bridge networks against the real kernel: namespaces stand in for containers and for a LAN host.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeBaseChainsIfUnused } from '../../src/network/firewall/iptables.js';
import { migratedDb } from '../fixtures/state-db.js';
import { attachContainer, createNetwork, detachContainer, listEndpoints, removeNetwork, type AttachResult, type NetworkRecord } from '../../src/network/index.js';
import { tempDir } from '../fixtures/busybox.js';
import { createNetns, createOutsideHost, hostLinkExists, randomSuffix, type OutsideHost, type TestNetns } from '../fixtures/netns.js';

const tag = randomSuffix(3);
// a random 10.213.N.0/24 block of four per run, so parallel runs and files do not collide
const base = 4 * Math.floor(Math.random() * 60) + 4;
const SUBNET_A = `10.213.${base}`;
const SUBNET_B = `10.213.${base + 1}`;
const SUBNET_INTERNAL = `10.213.${base + 2}`;
const SUBNET_OUTSIDE = `10.213.${base + 3}`;
const TOKEN = `vessel-${tag}`;

function httpGet(url: string): Promise<string> {
  return fetch(url, { signal: AbortSignal.timeout(3000) }).then((r) => r.text());
}

describe('bridge networks', { timeout: 60_000 }, () => {
  const tmp = tempDir('vessel-net-');
  const db = migratedDb(join(tmp.dir, 'state.db'));
  const namespaces: TestNetns[] = [];
  const networks: NetworkRecord[] = [];
  let outside: OutsideHost;
  let netA: NetworkRecord, netB: NetworkRecord, netInternal: NetworkRecord;
  let c1: TestNetns, c2: TestNetns, c3: TestNetns, c4: TestNetns;
  let a1: AttachResult, a2: AttachResult;
  const containerIds = new Map<TestNetns, string>();

  const container = (): TestNetns => {
    const ns = createNetns();
    namespaces.push(ns);
    containerIds.set(ns, `${tag}${randomSuffix(8)}`);
    return ns;
  };
  const attach = (ns: TestNetns, n: NetworkRecord, extra: Partial<Parameters<typeof attachContainer>[0]> = {}) =>
    attachContainer({ db, containerId: containerIds.get(ns)!, containerName: ns.name, netnsPath: ns.path, network: n.name, ...extra });

  before(async () => {
    outside = createOutsideHost(SUBNET_OUTSIDE);
    const net = (suffix: string, subnet: string, internal = false) => {
      const n = createNetwork(db, { name: `t-${tag}-${suffix}`, subnet: `${subnet}.0/24`, internal, options: { 'com.docker.network.bridge.name': `vt${tag}${suffix}` } });
      networks.push(n);
      return n;
    };
    netA = net('a', SUBNET_A);
    netB = net('b', SUBNET_B);
    netInternal = net('i', SUBNET_INTERNAL, true);
    c1 = container();
    c2 = container();
    c3 = container();
    c4 = container();
    a1 = await attach(c1, netA, { ports: [{ hostIp: '0.0.0.0', hostPort: 0, containerPort: 80, protocol: 'tcp' }] });
    a2 = await attach(c2, netA, { aliases: ['second'] });
    await attach(c3, netB);
    await attach(c4, netInternal);
    const www = join(tmp.dir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'index.html'), TOKEN);
    c1.spawn(['busybox', 'httpd', '-f', '-p', '80', '-h', www]);
    for (let i = 0; i < 50 && !c1.succeeds(['busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1/'], 1000); i++) await new Promise((r) => setTimeout(r, 20));
  });

  after(() => {
    const errors: unknown[] = [];
    const attempt = (fn: () => void) => {
      try {
        fn();
      } catch (e) {
        errors.push(e);
      }
    };
    for (const ns of namespaces) attempt(() => ns.cleanup());
    for (const ep of listEndpoints(db)) attempt(() => detachContainer({ db, containerId: ep.containerId, network: ep.networkId }));
    for (const n of networks) attempt(() => removeNetwork(db, n.id));
    attempt(() => outside?.cleanup());
    // vessel's chains themselves, once no network of any root has a rule in them
    attempt(() => void removeBaseChainsIfUnused());
    db.close();
    tmp.cleanup();
    if (errors.length) throw errors[0];
  });

  it('gives the container eth0 with its address and MAC, loopback up and a default route', () => {
    assert.equal(a1.ip, `${SUBNET_A}.2`);
    assert.equal(a1.gateway, `${SUBNET_A}.1`);
    assert.equal(a1.prefixLen, 24);
    assert.equal(a1.mac, `02:42:0a:d5:${base.toString(16).padStart(2, '0')}:02`);
    const addr = c1.exec(['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']);
    assert.match(addr, new RegExp(`inet ${SUBNET_A.replaceAll('.', '\\.')}\\.2/24`));
    assert.match(c1.exec(['ip', 'link', 'show', 'dev', 'eth0']), new RegExp(`link/ether ${a1.mac}`));
    assert.match(c1.exec(['ip', 'link', 'show', 'dev', 'lo']), /<LOOPBACK,UP,LOWER_UP>/);
    assert.match(c1.exec(['ip', 'route']), new RegExp(`default via ${SUBNET_A.replaceAll('.', '\\.')}\\.1 dev eth0`));
    assert.ok(hostLinkExists(a1.hostIf));
  });

  it('lets two containers on one network reach each other', () => {
    assert.ok(c1.succeeds(['busybox', 'ping', '-c1', '-W2', a2.ip]));
    assert.ok(c2.succeeds(['busybox', 'ping', '-c1', '-W2', a1.ip]));
  });

  it('isolates containers on different networks', () => {
    const c3ip = `${SUBNET_B}.2`;
    assert.ok(c3.succeeds(['busybox', 'ping', '-c1', '-W2', `${SUBNET_B}.1`]), 'c3 reaches its own gateway');
    assert.equal(c1.succeeds(['busybox', 'ping', '-c1', '-W1', c3ip]), false);
    assert.equal(c3.succeeds(['busybox', 'ping', '-c1', '-W1', a1.ip]), false);
  });

  it('masquerades egress: the outside host sees the host address as the source', async () => {
    const port = 9000 + Math.floor(Math.random() * 1000);
    const server = outside.ns.spawn([process.execPath, '-e', `require('net').createServer((s) => { console.log(s.remoteAddress); s.end(); }).listen(${port}, () => console.log('ready'))`]);
    let out = '';
    const ready = new Promise<void>((resolve) => server.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('ready')) resolve();
    }));
    await ready;
    c1.exec(['busybox', 'nc', '-w', '2', outside.ip, String(port)], { input: '' });
    for (let i = 0; i < 50 && !/\d+\.\d+\.\d+\.\d+/.test(out.replace('ready', '')); i++) await new Promise((r) => setTimeout(r, 20));
    assert.equal(out.replace('ready', '').trim().replace(/^::ffff:/, ''), outside.hostIp);
  });

  it('gives an internal network no egress', () => {
    assert.ok(c4.succeeds(['busybox', 'ping', '-c1', '-W2', `${SUBNET_INTERNAL}.1`]), 'the gateway answers');
    assert.equal(c4.succeeds(['busybox', 'ping', '-c1', '-W1', outside.ip]), false);
  });

  it('publishes a port to other hosts, the host itself, loopback, and hairpin', async () => {
    const hostPort = a1.ports[0]!.hostPort;
    assert.ok(hostPort > 0);
    assert.equal(outside.ns.exec(['busybox', 'wget', '-q', '-O', '-', `http://${outside.hostIp}:${hostPort}/`]), TOKEN, 'from the LAN');
    assert.equal(await httpGet(`http://127.0.0.1:${hostPort}/`), TOKEN, 'from the host via loopback');
    assert.equal(await httpGet(`http://${outside.hostIp}:${hostPort}/`), TOKEN, 'from the host via its own address');
    assert.equal(c1.exec(['busybox', 'wget', '-q', '-O', '-', `http://${outside.hostIp}:${hostPort}/`]), TOKEN, 'hairpin: the container itself');
    assert.equal(c2.exec(['busybox', 'wget', '-q', '-O', '-', `http://${a1.gateway}:${hostPort}/`]), TOKEN, 'a neighbour through the gateway');
  });

  it('refuses a host port already in use before creating anything', async () => {
    const srv = createServer().listen(0, '0.0.0.0');
    await new Promise((r) => srv.once('listening', r));
    const port = (srv.address() as { port: number }).port;
    const ns = container();
    try {
      await assert.rejects(attach(ns, netA, { ports: [{ hostIp: '0.0.0.0', hostPort: port, containerPort: 80, protocol: 'tcp' }] }), { code: 'PORT_IN_USE' });
      await assert.rejects(attach(ns, netB, { ports: [{ hostIp: '0.0.0.0', hostPort: a1.ports[0]!.hostPort, containerPort: 80, protocol: 'tcp' }] }), { code: 'PORT_IN_USE' });
    } finally {
      srv.close();
    }
    assert.deepEqual(listEndpoints(db, { containerId: containerIds.get(ns)! }), []);
    assert.doesNotMatch(ns.exec(['ip', 'link']), /eth0/);
  });

  // timing is reported, not asserted: on a loaded 2-core machine it varies tenfold (bench/ owns targets)
  it('attaches and detaches one container repeatedly, reporting the time', async (t) => {
    const attachMs: number[] = [];
    const detachMs: number[] = [];
    for (let i = 0; i < 5; i++) {
      const ns = container();
      const t0 = performance.now();
      const r = await attach(ns, netA);
      const t1 = performance.now();
      assert.ok(detachContainer({ db, containerId: containerIds.get(ns)!, network: netA.name }));
      assert.equal(hostLinkExists(r.hostIf), false);
      const t2 = performance.now();
      attachMs.push(t1 - t0);
      detachMs.push(t2 - t1);
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    t.diagnostic(`attach median ${median(attachMs).toFixed(2)} ms (${attachMs.map((x) => x.toFixed(1)).join(', ')}), detach median ${median(detachMs).toFixed(2)} ms`);
  });

  it('leaves the veth pair to an ended namespace, and re-attaches over a pair still waiting for it', async () => {
    const ns = container();
    const id = containerIds.get(ns)!;
    const first = await attach(ns, netA);
    // the namespace is still alive here (as if the kernel had not cleaned it up yet): the pair stays
    assert.ok(detachContainer({ db, containerId: id, network: netA.name, namespaceEnded: true }));
    assert.deepEqual(listEndpoints(db, { containerId: id }), []);
    assert.equal(hostLinkExists(first.hostIf), true);
    // the same container attaching again (a restart) replaces the lingering pair of the same name
    const again = await attach(ns, netA);
    assert.equal(again.hostIf, first.hostIf);
    assert.match(ns.exec(['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']), new RegExp(`inet ${again.ip.replaceAll('.', '\\.')}/24`));
    assert.ok(detachContainer({ db, containerId: id, network: netA.name, namespaceEnded: true }));
    // ending the namespace takes the pair with it, host end included
    namespaces.splice(namespaces.indexOf(ns), 1);
    ns.cleanup();
    for (let i = 0; i < 100 && hostLinkExists(first.hostIf); i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(hostLinkExists(first.hostIf), false);
  });

  it('leaves no rules, links or addresses behind after teardown', () => {
    const hostIfs = listEndpoints(db).map((e) => e.hostIf);
    for (const ep of listEndpoints(db)) assert.ok(detachContainer({ db, containerId: ep.containerId, network: ep.networkId }));
    for (const n of networks.splice(0)) removeNetwork(db, n.id);
    const saved = execFileSync('iptables-save', { encoding: 'utf8' });
    for (const needle of [`vt${tag}`, `${SUBNET_A}.`, `${SUBNET_B}.`, `${SUBNET_INTERNAL}.`]) {
      assert.ok(!saved.includes(needle), `iptables-save still mentions ${needle}:\n${saved}`);
    }
    for (const name of [...hostIfs, `vt${tag}a`, `vt${tag}b`, `vt${tag}i`]) assert.equal(hostLinkExists(name), false, name);
    const addrs = execFileSync('ip', ['-o', '-4', 'addr'], { encoding: 'utf8' });
    assert.ok(!addrs.includes(`${SUBNET_A}.`) && !addrs.includes(`${SUBNET_B}.`));
    assert.deepEqual(listEndpoints(db), []);
  });
});
