// Networking through the CLI the way a user types it: `vessel run` on user networks, published
// ports, --network none and container:, and `vessel network` commands.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tempDir } from '../fixtures/busybox.js';
import { CLI } from './engine-fixture.js';
import { writeBusyboxLayout } from '../fixtures/images.js';
import { createOutsideHost, randomSuffix, type OutsideHost } from '../fixtures/netns.js';

const tag = randomSuffix(3);
const base = 4 * Math.floor(Math.random() * 60) + 4;
const SUBNET = `10.213.${base}`;
const SUBNET_OUTSIDE = `10.213.${base + 3}`;
const NET = `e2e-${tag}`;

function vesselState(): string {
  const rules = execFileSync('iptables-save', { encoding: 'utf8' }).split('\n').filter((l) => l.startsWith('-A') && /VESSEL|10\.213\./.test(l)).sort();
  const links = execFileSync('ip', ['-o', 'link'], { encoding: 'utf8' }).split('\n').map((l) => l.split(':')[1]?.trim().split('@')[0]).filter((n) => n && /^(veth|vn)/.test(n)).sort();
  return [...rules, ...links].join('\n');
}

describe('vessel networking end to end', { timeout: 120_000 }, () => {
  const tmp = tempDir('vessel-e2e-net-');
  const root = join(tmp.dir, 'root');
  // no upstream resolvers: the embedded resolver must not forward the tests' lookups off this host
  const env = { ...process.env, VESSEL_DNS_HOST_RESOLV_CONF: '/dev/null' };
  const vessel = (...args: string[]) => execFileSync(process.execPath, [CLI, '--root', root, ...args], { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'], env }).trim();
  const exec = (c: string, ...cmd: string[]) => vessel('exec', c, ...cmd);
  let outside: OutsideHost;
  let before0: string;

  before(async () => {
    before0 = vesselState();
    const layout = join(tmp.dir, 'layout');
    await writeBusyboxLayout(layout, 'docker.io/library/busybox:latest');
    execFileSync('tar', ['-C', layout, '-cf', join(tmp.dir, 'busybox.tar'), 'oci-layout', 'index.json', 'blobs']);
    vessel('load', '-i', join(tmp.dir, 'busybox.tar'));
    outside = createOutsideHost(SUBNET_OUTSIDE);
    vessel('network', 'create', '--subnet', `${SUBNET}.0/24`, '-o', `com.docker.network.bridge.name=vn${tag}`, NET);
  });

  after(() => {
    const errors: unknown[] = [];
    const existing = vessel('ps', '-a', '--format', '{{.Names}}').split('\n').filter((n) => n.endsWith(`-${tag}`));
    // system reset also removes this root's default network (its bridge and rules)
    const steps = [...existing.map((n) => () => vessel('rm', '-f', n)), () => vessel('network', 'rm', NET), () => vessel('system', 'reset', '-f'), () => outside?.cleanup()];
    for (const step of steps) {
      try {
        step();
      } catch (e) {
        errors.push(e);
      }
    }
    // a stopped container's veth pair goes with its network namespace, in the kernel's own time
    let left = vesselState();
    for (const deadline = Date.now() + 5000; left !== before0 && Date.now() < deadline; left = vesselState()) execFileSync('sleep', ['0.1']);
    tmp.cleanup();
    if (errors.length) throw errors[0];
    assert.equal(left, before0, 'iptables rules and links are as before');
  });

  it('publishes -p HOSTPORT:80 to another host and to 127.0.0.1', async () => {
    const hostPort = 20000 + Math.floor(Math.random() * 20000);
    vessel('run', '-d', '--name', `web-${tag}`, '--network', NET, '-p', `${hostPort}:80`, 'busybox', 'sh', '-c', `echo ${tag} > /tmp/index.html && exec httpd -f -p 80 -h /tmp`);
    let body = '';
    for (let i = 0; i < 50 && body !== tag; i++) {
      try {
        body = outside.ns.exec(['busybox', 'wget', '-q', '-O', '-', `http://${outside.hostIp}:${hostPort}/`], { timeoutMs: 2000 }).trim();
      } catch {
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    assert.equal(body, tag, 'from the outside host');
    const local = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(3000) }).then((r) => r.text());
    assert.equal(local.trim(), tag, 'from 127.0.0.1');
  });

  it('lets two containers on a user network reach each other by name', () => {
    vessel('run', '-d', '--name', `client-${tag}`, '--network', NET, 'busybox', 'sleep', '60');
    assert.equal(exec(`client-${tag}`, 'wget', '-q', '-O', '-', `http://web-${tag}/`), tag);
    assert.match(exec(`client-${tag}`, 'cat', '/etc/resolv.conf'), /^nameserver 127\.0\.0\.11$/m);
  });

  it('gives --network none only lo', () => {
    const out = vessel('run', '--rm', '--name', `none-${tag}`, '--network', 'none', 'busybox', 'ip', '-o', 'link');
    assert.deepEqual(out.split('\n').map((l) => l.split(':')[1]!.trim()), ['lo']);
  });

  // the engine does not pass resolveContainer in its network request yet
  it('shares localhost with --network container:NAME', () => {
    const out = vessel('run', '--rm', '--name', `side-${tag}`, '--network', `container:web-${tag}`, 'busybox', 'wget', '-q', '-O', '-', 'http://127.0.0.1/');
    assert.equal(out, tag);
  });

  it('lists and inspects the network', () => {
    assert.match(vessel('network', 'ls'), new RegExp(`\\s${NET}\\s+bridge\\s+local`));
    const [n] = JSON.parse(vessel('network', 'inspect', NET)) as { IPAM: { Config: { Subnet: string }[] }; Containers: Record<string, { Name: string }> }[];
    assert.equal(n!.IPAM.Config[0]!.Subnet, `${SUBNET}.0/24`);
    assert.ok(Object.values(n!.Containers).some((c) => c.Name === `web-${tag}`));
    assert.throws(() => vessel('network', 'rm', NET), /in use|active endpoints/);
  });
});
