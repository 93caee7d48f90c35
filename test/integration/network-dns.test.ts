// The embedded DNS resolver against the real kernel: network namespaces made by the test (each
// with a sleeping process standing in for a container's init) play the containers, and a fake
// upstream resolver runs in an "outside host" namespace the host routes to.
import assert from 'node:assert/strict';
import { execFileSync, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connectContainerNetwork, connectNetwork, disconnectContainerNetwork, disconnectNetwork, planContainerNetwork, type ContainerNetworkRequest } from '../../src/engine/network/index.js';
import { askResolver, controlName, resolverRunning, stopResolver } from '../../src/network/dns/control.js';
import { createNetwork, type NetworkRecord } from '../../src/network/index.js';
import { openStateDb, type StateDb } from '../../src/state/db.js';
import { networks as networksMigration } from '../../src/state/migrations/006-networks.js';
import { tempDir } from '../fixtures/busybox.js';
import { fakeContainer, networkRequest, tearDown, type FakeContainer } from '../fixtures/fake-containers.js';
import { askTcpIn, askUdpIn, FAKE_UPSTREAM, FAKE_UPSTREAM_ANSWER, processesNaming, RCODE_NXDOMAIN, RCODE_SERVFAIL } from '../fixtures/dns.js';
import { createOutsideHost, randomSuffix, type OutsideHost, type TestNetns } from '../fixtures/netns.js';

const tag = randomSuffix(3);
const base = 4 * Math.floor(Math.random() * 60) + 4;
const SUBNET_A = `10.214.${base}`;
const SUBNET_B = `10.214.${base + 1}`;
const SUBNET_OUTSIDE = `10.214.${base + 3}`;
const RESOLVER = '127.0.0.11';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Whether something listens on 127.0.0.11:53 (UDP) inside the namespace. */
function resolverSocketIn(ns: TestNetns): boolean {
  return ns.exec(['cat', '/proc/net/udp']).includes('0B00007F:0035');
}

describe('embedded DNS resolver', { timeout: 90_000 }, () => {
  const tmp = tempDir('vessel-dns-');
  const hostResolvConf = join(tmp.dir, 'host-resolv.conf');
  let state: StateDb;
  let db: StateDb['sql'];
  let outside: OutsideHost;
  let upstream: ChildProcess;
  const asked: string[] = [];
  let netA: NetworkRecord, netB: NetworkRecord;
  const fakes: FakeContainer[] = [];
  let a1: FakeContainer, a2: FakeContainer, b1: FakeContainer;

  const fake = (name: string): FakeContainer => {
    const f = fakeContainer(tag, name);
    fakes.push(f);
    return f;
  };
  const request = (c: FakeContainer, mode: string, extra: Partial<ContainerNetworkRequest> = {}) => networkRequest(db, c, mode, extra);
  const netnsOf = (c: FakeContainer) => `/proc/${c.pid}/ns/net`;

  before(async () => {
    state = openStateDb(join(tmp.dir, 'vessel.db'), [networksMigration]);
    db = state.sql;
    outside = createOutsideHost(SUBNET_OUTSIDE);
    upstream = outside.ns.spawn([process.execPath, '-e', FAKE_UPSTREAM, outside.ip]);
    await new Promise<void>((resolve) => {
      let text = '';
      upstream.stdout!.on('data', (d) => {
        text += d.toString();
        const lines = text.split('\n');
        text = lines.pop()!;
        for (const l of lines) if (l === 'ready') resolve();
        else asked.push(l);
      });
    });
    // the resolver reads the host's resolvers from here (a loopback one is to be skipped)
    writeFileSync(hostResolvConf, `nameserver 127.0.0.53\nnameserver ${outside.ip}\n`);
    process.env.VESSEL_DNS_HOST_RESOLV_CONF = hostResolvConf;
    netA = createNetwork(db, { name: `dnsa-${tag}`, subnet: `${SUBNET_A}.0/24`, options: { 'com.docker.network.bridge.name': `vd${tag}a` } });
    netB = createNetwork(db, { name: `dnsb-${tag}`, subnet: `${SUBNET_B}.0/24`, options: { 'com.docker.network.bridge.name': `vd${tag}b` } });
    a1 = fake('a1');
    a2 = fake('a2');
    b1 = fake('b1');
  });

  after(async () => {
    const errors = tearDown(db, fakes, [netA, netB], outside);
    delete process.env.VESSEL_DNS_HOST_RESOLV_CONF;
    for (let i = 0; i < 50 && state && resolverRunning(state.path); i++) await sleep(100);
    const resolverLeft = state ? resolverRunning(state.path) : false;
    if (resolverLeft) stopResolver(state.path);
    state?.close();
    tmp.cleanup();
    if (errors.length) throw errors[0];
    assert.equal(resolverLeft, false, 'the resolver exits once no container is left');
  });

  it('writes 127.0.0.11 into resolv.conf on a user network, the host resolvers on the default bridge', () => {
    const user = planContainerNetwork(request(a1, netA.name)).files.resolvConf;
    assert.match(user, /^nameserver 127\.0\.0\.11$/m);
    assert.equal(user.match(/^nameserver/gm)?.length, 1);
    assert.match(user, /^options .*ndots:0/m);
    const bridge = planContainerNetwork(request(a1, 'bridge')).files.resolvConf;
    assert.doesNotMatch(bridge, /127\.0\.0\.11/);
  });

  it('answers a name as soon as connect returns, over UDP and TCP, with aliases and short ids', async () => {
    await connectContainerNetwork(request(a1, netA.name, { aliases: ['db'] }), a1.pid);
    await connectContainerNetwork(request(a2, netA.name), a2.pid);
    await connectContainerNetwork(request(b1, netB.name), b1.pid);
    // no waiting: the sockets are bound in the namespace before connect returns
    const byName = a2.ns.exec(['busybox', 'nslookup', a1.name, RESOLVER]);
    assert.match(byName.split(a1.name)[1] ?? '', new RegExp(`Address: ${SUBNET_A.replaceAll('.', '\\.')}\\.2`));
    assert.match(a2.ns.exec(['busybox', 'nslookup', 'db', RESOLVER]).split('db')[1] ?? '', new RegExp(`Address: ${SUBNET_A.replaceAll('.', '\\.')}\\.2`));
    assert.deepEqual((await askUdpIn(netnsOf(a2), RESOLVER, a1.id.slice(0, 12))).addresses, [`${SUBNET_A}.2`]);
    const tcp = await askTcpIn(netnsOf(a2), RESOLVER, a1.name.toUpperCase());
    assert.deepEqual(tcp.addresses, [`${SUBNET_A}.2`], 'over TCP, case-insensitively');
    assert.deepEqual((await askTcpIn(netnsOf(a1), RESOLVER, 'db')).addresses, [`${SUBNET_A}.2`], 'a container resolves its own alias');
    // each connect above found no resolver ready (it boots through tsx here) and started one: the
    // first to take the control socket serves all three, the others handed theirs over and left
    const all = [a1.id, a2.id, b1.id].sort();
    let served: string[] = [];
    for (let i = 0; i < 50 && served.join() !== all.join(); i++, await sleep(100)) {
      const status = askResolver(controlName(state.path), { op: 'status' });
      served = status?.ok ? [...status.containers].sort() : [];
    }
    assert.deepEqual(served, all);
    for (let i = 0; i < 50 && processesNaming(state.path).length > 1; i++) await sleep(100);
    assert.equal(processesNaming(state.path).length, 1, 'one resolver process');
  });

  it('does not answer names of another network: the upstream says NXDOMAIN', async () => {
    const r = await askUdpIn(netnsOf(b1), RESOLVER, a1.name);
    assert.equal(r.rcode, RCODE_NXDOMAIN);
    assert.deepEqual(r.addresses, []);
    assert.equal(b1.ns.succeeds(['busybox', 'nslookup', 'db', RESOLVER], 5000), false);
    assert.ok(asked.includes(a1.name), 'the unknown name went to the upstream');
  });

  it('forwards other names to the host\'s non-loopback resolvers over UDP and TCP, and fails fast without one', async () => {
    assert.match(a2.ns.exec(['busybox', 'nslookup', 'www.upstream.test', RESOLVER]), new RegExp(`Address: ${FAKE_UPSTREAM_ANSWER.replaceAll('.', '\\.')}`));
    assert.deepEqual((await askTcpIn(netnsOf(a2), RESOLVER, 'tcp.upstream.test')).addresses, [FAKE_UPSTREAM_ANSWER]);
    assert.ok(asked.includes('tcp.upstream.test'));
    writeFileSync(hostResolvConf, 'nameserver 127.0.0.1\n');
    try {
      const started = Date.now();
      const r = await askUdpIn(netnsOf(a2), RESOLVER, 'www.upstream.test');
      assert.equal(r.rcode, RCODE_SERVFAIL);
      assert.ok(Date.now() - started < 500, `SERVFAIL took ${Date.now() - started} ms`);
    } finally {
      writeFileSync(hostResolvConf, `nameserver ${outside.ip}\n`);
    }
  });

  it('answers a renamed container by its new name at once (names come from the database rows)', async () => {
    const renamed = `renamed-${tag}`;
    db.prepare('UPDATE network_endpoints SET container_name = ? WHERE container_id = ?').run(renamed, a1.id);
    try {
      assert.deepEqual((await askUdpIn(netnsOf(a2), RESOLVER, renamed)).addresses, [`${SUBNET_A}.2`]);
      assert.equal((await askUdpIn(netnsOf(a2), RESOLVER, a1.name)).rcode, RCODE_NXDOMAIN);
    } finally {
      db.prepare('UPDATE network_endpoints SET container_name = ? WHERE container_id = ?').run(a1.name, a1.id);
    }
  });

  it('network connect --alias: the other network\'s names and the alias answer as soon as it returns; disconnect takes them away', async () => {
    await connectNetwork({ db, network: netA.name, container: b1, aliases: ['late'] });
    const late = await askUdpIn(netnsOf(a2), RESOLVER, 'late');
    assert.equal(late.addresses.length, 1);
    assert.ok(late.addresses[0]!.startsWith(`${SUBNET_A}.`));
    assert.deepEqual((await askUdpIn(netnsOf(b1), RESOLVER, a1.name)).addresses, [`${SUBNET_A}.2`], 'b1 now sees network A');
    disconnectNetwork(db, netA.name, b1);
    assert.equal((await askUdpIn(netnsOf(a2), RESOLVER, 'late')).rcode, RCODE_NXDOMAIN);
    assert.equal((await askUdpIn(netnsOf(b1), RESOLVER, a1.name)).rcode, RCODE_NXDOMAIN);
  });

  it('refuses control requests from other users than root', () => {
    const ask = `const s = require('net').connect('\\0${controlName(state.path)}'); s.on('connect', () => s.write(JSON.stringify({ op: 'stop' }) + '\\n')); s.on('data', (d) => process.stdout.write(d));`;
    const reply = execFileSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', ask], { encoding: 'utf8', timeout: 5000 });
    assert.match(reply, /"ok":false.*refused/);
    assert.ok(resolverRunning(state.path), 'still running');
  });

  it('lets go of a container\'s namespace when it leaves its user networks, and exits after the last one', async () => {
    assert.ok(resolverSocketIn(a1.ns));
    disconnectContainerNetwork(db, a1.id);
    for (let i = 0; i < 30 && resolverSocketIn(a1.ns); i++) await sleep(50);
    assert.equal(resolverSocketIn(a1.ns), false, 'the resolver closed its sockets in a1\'s namespace');
    assert.ok(resolverRunning(state.path), 'still running for a2 and b1');
    disconnectContainerNetwork(db, a2.id);
    disconnectContainerNetwork(db, b1.id);
    for (let i = 0; i < 40 && resolverRunning(state.path); i++) await sleep(100);
    assert.equal(resolverRunning(state.path), false);
  });
});
