// The embedded DNS resolver through the CLI the way a user types it: containers on user networks
// find each other by name at 127.0.0.11 as soon as `run -d` or `network connect` returns, over
// UDP and TCP; other networks' names stay unknown; the rest goes to the host's resolvers (here a
// fake upstream in a namespace of the test's, named by VESSEL_DNS_HOST_RESOLV_CONF).
import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ChildProcess } from 'node:child_process';
import { resolverRunning } from '../../src/network/dns/control.js';
import { askTcpIn, askUdpIn, FAKE_UPSTREAM, FAKE_UPSTREAM_ANSWER, processesNaming, RCODE_NXDOMAIN } from '../fixtures/dns.js';
import { createOutsideHost, randomSuffix, type OutsideHost } from '../fixtures/netns.js';
import { engineRoot, type EngineRoot } from './engine-fixture.js';

const tag = randomSuffix(3);
const base = 4 * Math.floor(Math.random() * 60) + 4;
const SUBNET_A = `10.216.${base}`;
const SUBNET_B = `10.216.${base + 1}`;
const SUBNET_OUTSIDE = `10.216.${base + 3}`;
const NET_A = `dnsa-${tag}`;
const NET_B = `dnsb-${tag}`;
const RESOLVER = '127.0.0.11';
const re = (ip: string) => ip.replaceAll('.', '\\.');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('embedded DNS end to end', { timeout: 120_000 }, () => {
  let e: EngineRoot;
  let dbPath: string;
  let outside: OutsideHost;
  let upstream: ChildProcess;
  let resetDone = false;
  const pidOf = (name: string) => Number(e.ok('inspect', '-f', '{{.State.Pid}}', name).trim());
  const netns = (name: string) => `/proc/${pidOf(name)}/ns/net`;
  const ipOn = (name: string, net: string) => {
    const [view] = JSON.parse(e.ok('inspect', name)) as { NetworkSettings: { Networks: Record<string, { IPAddress: string }> } }[];
    return view!.NetworkSettings.Networks[net]!.IPAddress;
  };

  before(async () => {
    e = engineRoot();
    dbPath = join(e.root, 'vessel.db');
    outside = createOutsideHost(SUBNET_OUTSIDE);
    upstream = outside.ns.spawn([process.execPath, '-e', FAKE_UPSTREAM, outside.ip]);
    await new Promise((resolve) => upstream.stdout!.once('data', resolve));
    const conf = join(e.root, 'host-resolv.conf');
    writeFileSync(conf, `nameserver 127.0.0.1\nnameserver ${outside.ip}\n`);
    process.env.VESSEL_DNS_HOST_RESOLV_CONF = conf;
    e.ok('network', 'create', '--subnet', `${SUBNET_A}.0/24`, '-o', `com.docker.network.bridge.name=vd${tag}a`, NET_A);
    e.ok('network', 'create', '--subnet', `${SUBNET_B}.0/24`, '-o', `com.docker.network.bridge.name=vd${tag}b`, NET_B);
  });

  after(async () => {
    const errors: unknown[] = [];
    for (const step of [() => resetDone || e?.vessel('system', 'reset', '-f'), () => outside?.cleanup(), () => e?.cleanup()]) {
      try {
        step();
      } catch (err) {
        errors.push(err);
      }
    }
    delete process.env.VESSEL_DNS_HOST_RESOLV_CONF;
    if (errors.length) throw errors[0];
  });

  it('answers the first container\'s first instruction, while the resolver is still starting', () => {
    assert.equal(resolverRunning(dbPath), false);
    const out = e.ok('run', '--rm', '--name', `first-${tag}`, '--network', NET_A, 'busybox', 'nslookup', `first-${tag}`);
    assert.match(out.split(`first-${tag}`)[1] ?? '', new RegExp(`Address: ${re(SUBNET_A)}\\.\\d+`));
  });

  it('resolves a container by name from one started right after it, with 127.0.0.11 in resolv.conf', () => {
    e.ok('run', '-d', '--name', `web-${tag}`, '--network', NET_A, 'busybox', 'sleep', '120');
    const out = e.ok('run', '--rm', '--network', NET_A, 'busybox', 'sh', '-c', `cat /etc/resolv.conf; nslookup web-${tag}`);
    assert.match(out, /^nameserver 127\.0\.0\.11$/m);
    assert.equal(out.match(/^nameserver/gm)?.length, 1);
    assert.match(out.split(`web-${tag}`)[1] ?? '', new RegExp(`Address: ${re(ipOn(`web-${tag}`, NET_A))}\n`));
  });

  it('answers over TCP inside the container\'s namespace', async () => {
    e.ok('run', '-d', '--name', `client-${tag}`, '--network', NET_A, 'busybox', 'sleep', '120');
    const r = await askTcpIn(netns(`client-${tag}`), RESOLVER, `web-${tag}`);
    assert.deepEqual(r.addresses, [ipOn(`web-${tag}`, NET_A)]);
  });

  it('serves a container that shares the namespace of one on a user network (--network container:)', () => {
    const out = e.ok('run', '--rm', '--network', `container:client-${tag}`, 'busybox', 'sh', '-c', `cat /etc/resolv.conf; nslookup web-${tag}`);
    assert.match(out, /^nameserver 127\.0\.0\.11$/m);
    assert.match(out.split(`web-${tag}`)[1] ?? '', new RegExp(`Address: ${re(ipOn(`web-${tag}`, NET_A))}\n`));
  });

  it('keeps other networks\' names unknown, and the default bridge on the host\'s resolvers', async () => {
    e.ok('run', '-d', '--name', `other-${tag}`, '--network', NET_B, 'busybox', 'sleep', '120');
    assert.equal(e.vessel('exec', `other-${tag}`, 'nslookup', `web-${tag}`).status === 0, false);
    assert.equal((await askUdpIn(netns(`other-${tag}`), RESOLVER, `web-${tag}`)).rcode, RCODE_NXDOMAIN);
    const bridge = e.ok('run', '--rm', 'busybox', 'cat', '/etc/resolv.conf');
    assert.doesNotMatch(bridge, /127\.0\.0\.11/);
  });

  it('network connect --alias: the alias answers as soon as the command returns', () => {
    e.ok('network', 'connect', '--alias', `late-${tag}`, NET_B, `web-${tag}`);
    const out = e.ok('exec', `other-${tag}`, 'nslookup', `late-${tag}`);
    assert.match(out.split(`late-${tag}`)[1] ?? '', new RegExp(`Address: ${re(SUBNET_B)}\\.`));
  });

  it('run --ip --network-alias: the address and the alias hold at every start; refused off user networks', () => {
    const ip = `${SUBNET_A}.77`;
    e.ok('run', '-d', '--name', `fixed-${tag}`, '--network', NET_A, '--ip', ip, '--network-alias', `svc-${tag}`, 'busybox', 'sleep', '300');
    assert.match(e.ok('exec', `fixed-${tag}`, 'ip', '-o', '-4', 'addr', 'show', 'eth0'), new RegExp(`inet ${re(ip)}/24`));
    e.ok('restart', '-t', '0', `fixed-${tag}`);
    assert.equal(ipOn(`fixed-${tag}`, NET_A), ip, 'the same address after a restart');
    const out = e.ok('run', '--rm', '--network', NET_A, 'busybox', 'nslookup', `svc-${tag}`);
    assert.match(out.split(`svc-${tag}`)[1] ?? '', new RegExp(`Address: ${re(ip)}`));
    e.ok('rm', '-f', `fixed-${tag}`);
    const before = e.ok('ps', '-aq');
    for (const args of [['--ip', `${SUBNET_A}.78`], ['--network-alias', 'x']]) {
      const r = e.vessel('run', '-d', ...args, 'busybox', 'true');
      assert.notEqual(r.status, 0);
      assert.match(r.stderr, /supported (only for containers )?(on|in) user defined networks/);
    }
    assert.equal(e.ok('ps', '-aq'), before, 'a refused run leaves no container');
  });

  it('forwards other names to the host\'s resolvers', () => {
    const out = e.ok('exec', `client-${tag}`, 'nslookup', 'www.upstream.test');
    assert.match(out, new RegExp(`Address: ${re(FAKE_UPSTREAM_ANSWER)}`));
  });

  it('a resolver that died is replaced at the next connect, and serves the containers already running', async () => {
    e.ok('run', '-d', '--name', `old-${tag}`, '--network', NET_A, 'busybox', 'sleep', '300');
    const [resolverPid] = processesNaming(dbPath);
    assert.ok(resolverPid, 'a resolver runs');
    process.kill(resolverPid, 'SIGKILL');
    for (let i = 0; i < 50 && processesNaming(dbPath).includes(resolverPid); i++) await sleep(20);
    assert.equal((await askUdpIn(netns(`old-${tag}`), RESOLVER, `old-${tag}`, 500).catch(() => undefined))?.addresses.length ?? 0, 0, 'nothing answers while no resolver runs');
    // the next container on a user network starts a resolver, which takes the running ones back
    e.ok('run', '--rm', '--network', NET_A, 'busybox', 'true');
    let reply;
    for (let i = 0; i < 40 && !reply?.addresses.length; i++) {
      reply = await askUdpIn(netns(`old-${tag}`), RESOLVER, `old-${tag}`, 500).catch(() => undefined);
      if (!reply?.addresses.length) await sleep(100);
    }
    assert.ok(reply?.addresses.length, 'the running container resolves names again');
    e.ok('rm', '-f', `old-${tag}`);
  });

  it('leaves no resolver behind after system reset', async () => {
    assert.ok(resolverRunning(dbPath));
    e.ok('system', 'reset', '-f');
    resetDone = true;
    for (let i = 0; i < 30 && processesNaming(dbPath).length; i++) await sleep(100);
    assert.deepEqual(processesNaming(dbPath), []);
    assert.equal(resolverRunning(dbPath), false);
    // the resolver let go of the containers' namespaces in time for reset to take the bridges down
    assert.deepEqual(readdirSync('/sys/class/net').filter((l) => l.startsWith(`vd${tag}`)), []);
  });
});
