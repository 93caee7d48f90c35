// The engine's container networking against the real kernel: network namespaces created by the
// test (each with a sleeping process standing in for a container's init) play the containers.
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { removeBaseChainsIfUnused } from '../../src/network/firewall/iptables.js';
import { connectContainerNetwork, connectNetwork, containerNetworkSettings, disconnectContainerNetwork, disconnectNetwork, planContainerNetwork, type ContainerNetworkRequest } from '../../src/engine/network/index.js';
import { resolverRunning } from '../../src/network/dns/control.js';
import { createNetwork, listEndpoints, type NetworkRecord } from '../../src/network/index.js';
import { openStateDb, type StateDb } from '../../src/state/db.js';
import { networks as networksMigration } from '../../src/state/migrations/006-networks.js';
import { tempDir } from '../fixtures/busybox.js';
import { fakeContainer, networkRequest, tearDown, type FakeContainer } from '../fixtures/fake-containers.js';
import { createOutsideHost, hostLinkExists, randomSuffix, type OutsideHost } from '../fixtures/netns.js';

const tag = randomSuffix(3);
const base = 4 * Math.floor(Math.random() * 60) + 4;
const SUBNET_A = `10.213.${base}`;
const SUBNET_B = `10.213.${base + 1}`;
const SUBNET_OUTSIDE = `10.213.${base + 3}`;
// a fake upstream resolver on a loopback address of the host: forwarding must reach it
const UPSTREAM = `127.77.${Math.floor(Math.random() * 250) + 1}.1`;
const UPSTREAM_ANSWER = '192.0.2.99';
const TOKEN = `vessel-${tag}`;

interface FileContainer extends FakeContainer {
  hostsPath: string;
}

function vesselState(): { rules: string; links: string; addrs: string } {
  const rules = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A') && /VESSEL|10\.213\./.test(l)).sort().join('\n');
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]).filter((n) => n && /^(veth|vn)/.test(n)).sort().join(',');
  const addrs = execFileSync('ip', ['-o', '-4', 'addr'], { encoding: 'utf8' }).split('\n').filter((l) => l.includes('10.213.')).map((l) => l.split(/\s+/)[3]).sort().join(',');
  return { rules, links, addrs };
}

// answers every query with one A record: header with QR|RD|RA, the question, a pointer to it
const FAKE_UPSTREAM = `
const s = require('dgram').createSocket('udp4');
const [host, answer] = process.argv.slice(1);
s.on('message', (q, r) => {
  const h = Buffer.from(q.subarray(0, 12)); h.writeUInt16BE(0x8180, 2); h.writeUInt16BE(1, 6); h.writeUInt32BE(0, 8);
  const rr = Buffer.alloc(16); rr.writeUInt16BE(0xc00c, 0); rr.writeUInt16BE(1, 2); rr.writeUInt16BE(1, 4); rr.writeUInt32BE(60, 6); rr.writeUInt16BE(4, 10);
  answer.split('.').forEach((b, i) => rr.writeUInt8(Number(b), 12 + i));
  s.send(Buffer.concat([h, q.subarray(12), rr]), r.port, r.address);
});
s.bind(53, host, () => console.log('ready'));
`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('engine container networking', { timeout: 90_000 }, () => {
  const tmp = tempDir('vessel-engnet-');
  let state: StateDb;
  let db: StateDb['sql'];
  let outside: OutsideHost;
  let netA: NetworkRecord, netB: NetworkRecord;
  const fakes: FileContainer[] = [];
  let upstream: ChildProcess | undefined;
  let before0: ReturnType<typeof vesselState>;

  const fake = (name: string): FileContainer => {
    const hostsPath = join(tmp.dir, `${name}.hosts`);
    writeFileSync(hostsPath, '');
    const f = { ...fakeContainer(tag, name), hostsPath };
    fakes.push(f);
    return f;
  };
  const request = (c: FileContainer, mode: string, extra: Partial<ContainerNetworkRequest> = {}): ContainerNetworkRequest =>
    networkRequest(db, c, mode, { hostsPath: c.hostsPath, resolveContainer: (n) => fakes.find((f) => f.name === n || f.id === n), ...extra });
  const run = async (c: FileContainer, mode: string, extra: Partial<ContainerNetworkRequest> = {}) => {
    const req = request(c, mode, extra);
    const plan = planContainerNetwork(req);
    await connectContainerNetwork(req, c.pid);
    return plan;
  };

  let web: FileContainer, client: FileContainer, other: FileContainer;

  before(async () => {
    removeBaseChainsIfUnused(); // empty chains left by an earlier run would differ from the end state
    before0 = vesselState();
    state = openStateDb(join(tmp.dir, 'vessel.db'), [networksMigration]);
    db = state.sql;
    outside = createOutsideHost(SUBNET_OUTSIDE);
    netA = createNetwork(db, { name: `a-${tag}`, subnet: `${SUBNET_A}.0/24`, options: { 'com.docker.network.bridge.name': `vn${tag}a` } });
    netB = createNetwork(db, { name: `b-${tag}`, subnet: `${SUBNET_B}.0/24`, options: { 'com.docker.network.bridge.name': `vn${tag}b` } });
    // its own process: this one blocks in execFileSync while the containers query
    upstream = spawn(process.execPath, ['-e', FAKE_UPSTREAM, UPSTREAM, UPSTREAM_ANSWER], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise((resolve) => upstream!.stdout!.once('data', resolve));
    web = fake('web');
    client = fake('client');
    other = fake('other');
  });

  after(async () => {
    const errors = tearDown(db, fakes, [netA, netB], outside);
    if (upstream?.pid && upstream.exitCode === null) process.kill(upstream.pid, 'SIGKILL');
    for (let i = 0; i < 50 && resolverRunning(state.path); i++) await sleep(100);
    const resolverLeft = resolverRunning(state.path);
    state?.close();
    tmp.cleanup();
    if (errors.length) throw errors[0];
    assert.equal(resolverLeft, false, 'the resolver exits once no container is left');
    // a stopped container's veth pair goes with its network namespace, in the kernel's own time
    let left = vesselState();
    for (let i = 0; i < 50 && JSON.stringify(left) !== JSON.stringify(before0); i++, left = vesselState()) await sleep(100);
    assert.deepEqual(left, before0, 'iptables rules, links and addresses are as before');
  });

  it('plans and connects a user network: eth0, published port, resolv.conf on the resolver, /etc/hosts', async () => {
    const plan = await run(web, netA.name, { ports: ['80'], aliases: ['www'], dns: [UPSTREAM] });
    assert.deepEqual(plan.namespaces, [{ type: 'network' }]);
    assert.match(plan.files.resolvConf, /^nameserver 127\.0\.0\.11$/m);
    assert.equal(plan.files.hostname, `${web.id.slice(0, 12)}\n`);
    assert.match(readFileSync(web.hostsPath, 'utf8'), new RegExp(`${SUBNET_A.replaceAll('.', '\\.')}\\.2\\t${web.id.slice(0, 12)}`));
    assert.match(web.ns.exec(['ip', '-o', '-4', 'addr', 'show', 'dev', 'eth0']), new RegExp(`${SUBNET_A.replaceAll('.', '\\.')}\\.2/24`));
    const s = containerNetworkSettings(db, web.id);
    assert.equal(s.Networks[netA.name]!.IPAddress, `${SUBNET_A}.2`);
    assert.deepEqual(s.Networks[netA.name]!.Aliases, ['www']);
    const hostPort = Number(s.Ports['80/tcp']![0]!.HostPort);
    assert.ok(hostPort > 0);
    const www = join(tmp.dir, 'www');
    mkdirSync(www);
    writeFileSync(join(www, 'index.html'), TOKEN);
    web.ns.spawn(['busybox', 'httpd', '-f', '-p', '80', '-h', www]);
    for (let i = 0; i < 50 && !web.ns.succeeds(['busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1/'], 1000); i++) await sleep(20);
    assert.equal(outside.ns.exec(['busybox', 'wget', '-q', '-O', '-', `http://${outside.hostIp}:${hostPort}/`]), TOKEN, 'from another host');
    const local = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text());
    assert.equal(local, TOKEN, 'from the host through 127.0.0.1');
  });

  it('refuses a host port that is already published, before creating anything', () => {
    const port = containerNetworkSettings(db, web.id).Ports['80/tcp']![0]!.HostPort;
    assert.throws(() => planContainerNetwork(request(client, netA.name, { ports: [`${port}:80`] })), { code: 'PORT_IN_USE' });
  });

  it('resolves names and aliases on the same network, forwards the rest, and not across networks', async () => {
    await run(client, netA.name, { dns: ['127.0.0.1'] });
    await run(other, netB.name, { dns: ['127.0.0.1'] });
    const gwA = '127.0.0.11';
    assert.match(client.ns.exec(['busybox', 'nslookup', web.name, gwA]), new RegExp(`Address: ${SUBNET_A.replaceAll('.', '\\.')}\\.2`));
    assert.match(client.ns.exec(['busybox', 'nslookup', 'www', gwA]), new RegExp(`Address: ${SUBNET_A.replaceAll('.', '\\.')}\\.2`));
    assert.match(web.ns.exec(['busybox', 'nslookup', 'example.test', gwA]), new RegExp(`Address: ${UPSTREAM_ANSWER.replaceAll('.', '\\.')}`), 'forwarded to the container\'s --dns');
    assert.equal(other.ns.succeeds(['busybox', 'nslookup', web.name, '127.0.0.11'], 5000), false, 'another network does not see the name');
    assert.equal(other.ns.succeeds(['busybox', 'ping', '-c1', '-W1', `${SUBNET_A}.2`]), false, 'nor reach the address');
    assert.ok(client.ns.succeeds(['busybox', 'ping', '-c1', '-W2', web.name.replace(/.*/, `${SUBNET_A}.2`)]));
  });

  it('connects and disconnects a running container to a second network as eth1', async () => {
    const s = await connectNetwork({ db, network: netA.name, container: other, aliases: ['late'] });
    assert.equal(s.Networks[netA.name]!.IPAddress.startsWith(`${SUBNET_A}.`), true);
    assert.match(other.ns.exec(['ip', 'link', 'show', 'dev', 'eth1']), /eth1/);
    assert.ok(other.ns.succeeds(['busybox', 'ping', '-c1', '-W2', `${SUBNET_A}.2`]), 'reaches web through eth1');
    // the resolver reads names from the database at each query: the new alias answers at once
    const answer = client.ns.exec(['busybox', 'nslookup', 'late', '127.0.0.11']);
    assert.match(answer.split('late')[1] ?? '', new RegExp(`Address: ${s.Networks[netA.name]!.IPAddress.replaceAll('.', '\\.')}`));
    assert.match(readFileSync(other.hostsPath, 'utf8'), new RegExp(s.Networks[netA.name]!.IPAddress.replaceAll('.', '\\.')));
    await assert.rejects(connectNetwork({ db, network: netA.name, container: other }), { code: 'ALREADY_CONNECTED' });
    disconnectNetwork(db, netA.name, other);
    assert.equal(other.ns.succeeds(['ip', 'link', 'show', 'dev', 'eth1']), false);
    assert.throws(() => disconnectNetwork(db, netA.name, other), { code: 'NOT_CONNECTED' });
  });

  it('shares a running container\'s namespace with container:NAME, and refuses a stopped one', () => {
    const plan = planContainerNetwork(request(fake('joiner'), `container:${web.name}`));
    assert.deepEqual(plan.namespaces, [{ type: 'network', path: `/proc/${web.pid}/ns/net` }]);
    assert.match(plan.files.hosts, new RegExp(`${SUBNET_A.replaceAll('.', '\\.')}\\.2`));
    // a process in that namespace reaches web's server through localhost
    const viaShared = execFileSync('nsenter', [`--net=/proc/${web.pid}/ns/net`, 'busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1/'], { encoding: 'utf8' });
    assert.equal(viaShared, TOKEN);
    const stopped = { ...request(client, 'container:ghost'), resolveContainer: () => ({ id: 'f'.repeat(64), name: 'ghost', pid: 0 }) };
    assert.throws(() => planContainerNetwork(stopped), { code: 'CONTAINER_NOT_RUNNING' });
    assert.throws(() => planContainerNetwork(request(client, `container:${web.name}`, { ports: ['80'] })), { code: 'CONFLICTING_OPTIONS' });
  });

  it('gives --network none only a loopback that is up', async () => {
    const c = fake('none');
    const plan = await run(c, 'none', { addHosts: ['db.local:10.1.2.3'] });
    assert.deepEqual(plan.namespaces, [{ type: 'network' }]);
    assert.match(plan.files.hosts, /10\.1\.2\.3\tdb\.local/);
    const links = c.ns.exec(['ip', '-o', 'link']).trim().split('\n');
    assert.equal(links.length, 1);
    assert.match(links[0]!, /: lo: <LOOPBACK,UP,LOWER_UP>/);
    assert.deepEqual(listEndpoints(db, { containerId: c.id }), []);
  });

  it('shares the host namespace with --network host and changes nothing', async () => {
    const c = fake('host');
    const rulesBefore = vesselState();
    const plan = await run(c, 'host');
    assert.deepEqual(plan.namespaces, []);
    assert.equal(plan.files.resolvConf, readFileSync('/etc/resolv.conf', 'utf8'));
    assert.deepEqual(vesselState(), rulesBefore);
    assert.ok(containerNetworkSettings(db, c.id).Networks.host);
  });

  it('disconnects everything at stop: rules, veths, addresses, allocations', () => {
    const hostIfs = listEndpoints(db).map((e) => e.hostIf);
    assert.ok(hostIfs.length >= 3);
    for (const f of fakes) disconnectContainerNetwork(db, f.id);
    for (const f of fakes) disconnectContainerNetwork(db, f.id);
    assert.deepEqual(listEndpoints(db), []);
    for (const h of hostIfs) assert.equal(hostLinkExists(h), false, h);
    const rules = execFileSync('iptables-save', { encoding: 'utf8' });
    assert.ok(!rules.includes(`${SUBNET_A}.2`), 'no DNAT to the container is left');
  });
});
