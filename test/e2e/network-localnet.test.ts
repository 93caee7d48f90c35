// CVE-2020-8558 pattern: vessel's bridges have route_localnet=1 (so ports published on 127.0.0.1
// reach containers without a proxy), which would let a container with CAP_NET_RAW send packets to
// the host's 127.0.0.1 through the bridge. A raw-socket probe inside a default container must not
// reach a host service bound to 127.0.0.1, while -p 127.0.0.1:PORT:80 and hairpin keep working.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../fixtures/busybox.js';
import { engineRoot, type EngineRoot } from './engine-fixture.js';
import { randomSuffix } from '../fixtures/netns.js';
import { openSqlite } from '../../src/state/sqlite.js';

const tag = randomSuffix(3);
const BRIDGE = `vl${tag}`;
const SUBNET = `10.214.${4 * Math.floor(Math.random() * 60) + 4}`;

/** Packets the bridge's loopback guard rule has dropped so far. */
function guardDrops(): number {
  const out = execFileSync('iptables', ['-w', '-t', 'filter', '-L', 'VESSEL-INPUT', '-n', '-v', '-x'], { encoding: 'utf8' });
  const line = out.split('\n').find((l) => l.includes(BRIDGE) && l.includes('127.0.0.0/8') && l.includes('DROP'));
  assert.ok(line, `a loopback guard rule for ${BRIDGE} in VESSEL-INPUT:\n${out}`);
  return Number(line.trim().split(/\s+/)[0]);
}

describe('loopback guard on vessel bridges', { timeout: 120_000 }, () => {
  const tmp = tempDir('vessel-e2e-localnet-');
  const probe = join(tmp.dir, 'localnet-probe');
  let e: EngineRoot;

  before(() => {
    execFileSync('cc', ['-static', '-O2', '-o', probe, 'test/fixtures/localnet-probe.c']);
    e = engineRoot();
    e.ok('network', 'create', '--subnet', `${SUBNET}.0/24`, '-o', `com.docker.network.bridge.name=${BRIDGE}`, `ln-${tag}`);
  });

  after(() => {
    e?.vessel('rm', '-f', `web-${tag}`);
    e?.vessel('network', 'rm', `ln-${tag}`);
    e?.cleanup();
    tmp.cleanup();
    const left = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.includes(BRIDGE));
    assert.deepEqual(left, [], 'no rule of the test bridge is left');
  });

  it('drops a crafted packet to 127.0.0.1 and keeps -p 127.0.0.1 and hairpin working', async () => {
    const loopPort = 20000 + Math.floor(Math.random() * 20000);
    const hostPort = loopPort + 1;
    e.ok('run', '-d', '--name', `web-${tag}`, '--network', `ln-${tag}`, '-p', `127.0.0.1:${loopPort}:80`, '-p', `${hostPort}:80`, '-v', `${probe}:/probe:ro`,
      'busybox', 'sh', '-c', `echo ${tag} > /tmp/index.html && exec httpd -f -p 80 -h /tmp`);

    // a host service bound only to loopback
    const service = createSocket('udp4');
    const received: string[] = [];
    service.on('message', (m) => received.push(m.toString()));
    await new Promise<void>((resolve) => service.bind(0, '127.0.0.1', resolve));
    const servicePort = service.address().port;
    try {
      // the bridge takes its first port's MAC: read it once the container is attached
      const gatewayMac = readFileSync(`/sys/class/net/${BRIDGE}/address`, 'utf8').trim();
      const dropsBefore = guardDrops();
      assert.equal(e.ok('exec', `web-${tag}`, '/probe', 'eth0', gatewayMac, String(servicePort), `probe-${tag}`).trim(), 'sent');
      await new Promise((r) => setTimeout(r, 300));
      assert.deepEqual(received, [], 'the loopback-only service got nothing from the container');
      assert.ok(guardDrops() >= dropsBefore + 5, 'the probe packets reached the host and the guard dropped them');
    } finally {
      service.close();
    }

    const viaLoopback = await fetch(`http://127.0.0.1:${loopPort}/`, { signal: AbortSignal.timeout(5000) }).then((r) => r.text());
    assert.equal(viaLoopback.trim(), tag, '-p 127.0.0.1:PORT:80 answers on the host loopback');
    const gateway = `${SUBNET}.1`;
    assert.equal(e.ok('exec', `web-${tag}`, 'wget', '-q', '-O', '-', `http://${gateway}:${hostPort}/`).trim(), tag, 'hairpin: the container reaches its own published port');
  });

  it('gives a bridge an older vessel set up (no guard) the guard at its next use', () => {
    // what an older vessel left: the network's rules without the guard, in iptables and recorded
    const db = openSqlite(join(e.root, 'vessel.db'));
    try {
      const row = db.prepare('SELECT id, rules FROM networks WHERE name = ?').get(`ln-${tag}`) as { id: string; rules: string };
      const rules = JSON.parse(row.rules) as { chain: string; args: string[] }[];
      const guard = rules.find((r) => r.chain === 'VESSEL-INPUT')!;
      execFileSync('iptables', ['-w', '-t', 'filter', '-D', guard.chain, ...guard.args]);
      db.prepare('UPDATE networks SET rules = ? WHERE id = ?').run(JSON.stringify(rules.filter((r) => r !== guard)), row.id);
    } finally {
      db.close();
    }
    assert.throws(() => guardDrops(), /a loopback guard rule/);
    e.ok('run', '--rm', '--network', `ln-${tag}`, 'busybox', 'true');
    guardDrops();
    // the network's own rules (two ports published to one container port share a FORWARD rule)
    const ours = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.includes(BRIDGE) && !l.includes('--dport'));
    assert.equal(new Set(ours).size, ours.length, `no network rule twice:\n${ours.join('\n')}`);
  });

  it('mounts /etc/hosts, hostname and resolv.conf nosuid,nodev,noexec', () => {
    const info = e.ok('run', '--rm', 'busybox', 'cat', '/proc/self/mountinfo');
    for (const target of ['/etc/hosts', '/etc/hostname', '/etc/resolv.conf']) {
      const line = info.split('\n').find((l) => l.split(' ')[4] === target);
      assert.ok(line, `${target} is mounted`);
      const opts = line.split(' ')[5]!.split(',');
      for (const flag of ['nosuid', 'nodev', 'noexec']) assert.ok(opts.includes(flag), `${target} has ${flag}: ${line}`);
    }
  });
});
